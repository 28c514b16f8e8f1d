using AidPlatform.ServiceDefaults.Errors;
using AidPlatform.ServiceDefaults.Validation;

namespace AidPlatform.Disbursement.Api.Domain;

/// <summary>A mistake is corrected by a reversal: a negative row linked to the original, never an update.</summary>
public static class Reversal
{
    /// <summary>The reason, trimmed; or null with a <c>reason</c> fault when it is empty or longer than 1000 characters.</summary>
    public static string? ValidateReason(string? reason, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var trimmed = reason?.Trim();
        return errors.Require(!string.IsNullOrEmpty(trimmed) && trimmed.Length <= 1000, "reason", "reason is required, 1000 characters or fewer.") ? trimmed : null;
    }

    /// <summary>
    /// The exact negation of the original, at its rate: the pair nets to zero in every currency. A reversal
    /// cannot itself be reversed (422), nor a row twice (409).
    /// </summary>
    public static LedgerRow Of(LedgerEntry original, string reason)
    {
        ArgumentNullException.ThrowIfNull(original);
        var row = original.Row;
        if (row.ReversesId is not null)
        {
            throw new UnprocessableException("A reversal cannot itself be reversed; record a new row instead.");
        }

        if (original.Reversed)
        {
            throw new ConflictException("This disbursement is already reversed.");
        }

        return row with
        {
            Id = Guid.CreateVersion7(), Amount = -row.Amount, AmountUsd = -row.AmountUsd,
            Reference = $"reversal:{row.Id}", Description = reason, ReversesId = row.Id,
        };
    }
}
