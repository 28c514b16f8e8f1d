namespace AidPlatform.Reporting.Api.Domain;

/// <summary>A project's sector and location percentages; either list is empty while the project is unknown.</summary>
public sealed record ProjectShares(
    IReadOnlyList<(string SectorCode, string CategoryCode, decimal Percentage)> Sectors,
    IReadOnlyList<(string ProvinceCode, decimal Percentage)> Locations);
