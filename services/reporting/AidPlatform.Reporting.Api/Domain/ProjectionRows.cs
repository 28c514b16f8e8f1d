namespace AidPlatform.Reporting.Api.Domain;

/// <summary>An NGO as the reports label it: the newest <c>Version</c> wins.</summary>
public sealed record NgoRow(Guid Id, int Version, string Name, string Country);

/// <summary>
/// A project's state as the reports keep it: the newest <c>Version</c> wins, its shares split its transactions,
/// and its policy markers (code, significance) put its money under each marker it carries.
/// </summary>
public sealed record ProjectRow(Guid Id, int Version, Guid NgoId, string Title, string Status, DateOnly StartDate, DateOnly? EndDate,
    decimal BudgetAmount, string BudgetCurrency, ProjectShares Shares, IReadOnlyList<(string Code, int Significance)> PolicyMarkers);

/// <summary>A ledger row as the reporting schema keeps it.</summary>
public sealed record TransactionRow(Guid Id, Guid ProjectId, Guid NgoId, string Type, decimal AmountUsd, DateOnly ValueDate, string? ProvinceCode, Guid? ReversesId, DateTimeOffset OccurredAt);

/// <summary>A registration certificate at a version: recorded, then amended, extended, suspended, reinstated or revoked.</summary>
public sealed record RegistrationRow(Guid Id, Guid NgoId, string Kind, DateOnly IssuedOn, DateOnly ExpiresOn,
    IReadOnlyList<string> ProvinceCodes, IReadOnlyList<string> SectorCategories, int Version = 1, string Status = "valid");
