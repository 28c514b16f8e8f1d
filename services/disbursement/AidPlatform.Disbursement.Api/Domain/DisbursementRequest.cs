using System.ComponentModel.DataAnnotations;

namespace AidPlatform.Disbursement.Api.Domain;

/// <summary>A request to record one ledger row, as a partner sends it in a POST, a batch item or a CSV line.</summary>
public sealed record DisbursementRequest(
    [property: Required] Guid? ProjectId,
    [property: LedgerType] string? Type,
    [property: Required, Range(typeof(decimal), "0.01", "1000000000000")] decimal? Amount,
    [property: Required, RegularExpression("^[A-Z]{3}$")] string? Currency,
    [property: Required] DateOnly? ValueDate,
    [property: RegularExpression("^[0-9]{1,3}$")] string? ProvinceCode,
    [property: Required, StringLength(100, MinimumLength = 1)] string? Reference,
    [property: StringLength(1000)] string? Description);
