namespace AidPlatform.Contracts.Disbursement;

/// <summary>A ledger row was recorded: a commitment, disbursement or expenditure.</summary>
public sealed record DisbursementRecorded
{
    public required Guid EventId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid DisbursementId { get; init; }
    public required Guid NgoId { get; init; }
    public required Guid ProjectId { get; init; }
    /// <summary><c>commitment</c>, <c>disbursement</c> or <c>expenditure</c>.</summary>
    public required string Type { get; init; }
    public required decimal Amount { get; init; }
    public required string Currency { get; init; }
    /// <summary>USD equivalent at <see cref="FxRate"/>, rounded half away from zero to cents.</summary>
    public required decimal AmountUsd { get; init; }
    /// <summary>Units of <see cref="Currency"/> per USD.</summary>
    public required decimal FxRate { get; init; }
    /// <summary>The month whose rate was used, <c>yyyy-MM</c>.</summary>
    public required string FxRateMonth { get; init; }
    public required DateOnly ValueDate { get; init; }
    /// <summary>The province code as given, if the row names one; else the project's locations apply.</summary>
    public string? ProvinceCode { get; init; }
    /// <summary>The current unit <see cref="ProvinceCode"/> maps to.</summary>
    public string? CurrentProvinceCode { get; init; }
    public required string Reference { get; init; }
}
