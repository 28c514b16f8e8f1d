namespace AidPlatform.Contracts.Registry;

/// <summary>A project's share in one DAC 5-digit purpose code (or 3-digit category).</summary>
public sealed record ProjectSector
{
    public required string Code { get; init; }
    public required string CategoryCode { get; init; }
    public required decimal Percentage { get; init; }
}
