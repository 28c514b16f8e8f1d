namespace AidPlatform.Disbursement.Api.Domain;

/// <summary>A ledger row ready to be written; the server owns its id, NGO, USD amount and rate.</summary>
public sealed record LedgerRow(Guid Id, Guid NgoId, Guid ProjectId, string Type, decimal Amount, string Currency, decimal AmountUsd,
    decimal FxRate, DateOnly FxRateMonth, DateOnly ValueDate, string? ProvinceCode, string? CurrentProvinceCode, string Reference,
    string? Description, Guid? ReversesId = null);

/// <summary>A row as the ledger holds it: whether a reversal names it, and when it was recorded.</summary>
public sealed record LedgerEntry(LedgerRow Row, bool Reversed, DateTimeOffset RecordedAt);
