namespace AidPlatform.Contracts.Disbursement;

/// <summary>A ledger row was reversed by a negative entry linked to it.</summary>
public sealed record DisbursementReversed
{
    public required Guid EventId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    /// <summary>The id of the negative reversal entry.</summary>
    public required Guid DisbursementId { get; init; }
    /// <summary>The id of the row it reverses.</summary>
    public required Guid ReversedDisbursementId { get; init; }
    public required Guid NgoId { get; init; }
    public required Guid ProjectId { get; init; }
    public required string Type { get; init; }
    /// <summary>Negative: the original amount with its sign turned.</summary>
    public required decimal Amount { get; init; }
    public required string Currency { get; init; }
    /// <summary>Negative: exactly the original's USD amount with its sign turned.</summary>
    public required decimal AmountUsd { get; init; }
    public required decimal FxRate { get; init; }
    public required string FxRateMonth { get; init; }
    public required DateOnly ValueDate { get; init; }
    public string? ProvinceCode { get; init; }
    public string? CurrentProvinceCode { get; init; }
    public required string Reason { get; init; }
}
