using AidPlatform.ServiceDefaults.Validation;

namespace AidPlatform.Disbursement.Api.Domain;

/// <summary>Which ledger rows a list or a total reads; <see cref="OwnNgo"/> keeps a partner to its own NGO's rows.</summary>
public sealed record LedgerFilter(Guid? ProjectId, Guid? NgoId, Guid? OwnNgo, string? Type, DateOnly? From, DateOnly? To)
{
    /// <summary>The filter; null when <paramref name="errors"/> holds any fault, the caller's paging faults included.</summary>
    public static LedgerFilter? Validate(LedgerFilter filter, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(errors);
        errors.Require(filter.From is null || filter.To is null || filter.From <= filter.To, "to", "to must not be before from.");
        return errors.Any ? null : filter;
    }
}
