using System.ComponentModel.DataAnnotations;
using System.Globalization;
using AidPlatform.Disbursement.Api.Domain;

namespace AidPlatform.Disbursement.Api.Endpoints;

/// <summary>A ledger row as the API answers it.</summary>
public sealed record DisbursementDto(Guid Id, Guid ProjectId, Guid NgoId, [property: LedgerType] string Type, decimal Amount, string Currency, decimal AmountUsd,
    decimal FxRate, string FxRateMonth, DateOnly ValueDate, string? ProvinceCode, string? CurrentProvinceCode, string Reference,
    string? Description, Guid? ReversesId, [property: AllowedValues("recorded", "reversed")] string Status, DateTimeOffset RecordedAt)
{
    public static DisbursementDto From(LedgerEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var r = entry.Row;
        return new(r.Id, r.ProjectId, r.NgoId, r.Type, r.Amount, r.Currency, r.AmountUsd, r.FxRate, r.FxRateMonth.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            r.ValueDate, r.ProvinceCode, r.CurrentProvinceCode, r.Reference, r.Description, r.ReversesId, entry.Reversed ? "reversed" : "recorded", entry.RecordedAt);
    }
}

public sealed record BatchResult(int Count, IReadOnlyList<Guid> Ids);

public sealed record ReversalRequest([property: Required, StringLength(1000, MinimumLength = 1)] string? Reason);

public sealed record ByType(decimal Commitment, decimal Disbursement, decimal Expenditure);

public sealed record Totals(ByType ByType, long Count);
