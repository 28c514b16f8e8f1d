namespace AidPlatform.Contracts.Registry;

/// <summary>A project's share in one province: the code as the partner gave it, and the current unit it maps to.</summary>
public sealed record ProjectLocation
{
    public required string ProvinceCode { get; init; }
    public required string CurrentProvinceCode { get; init; }
    public required decimal Percentage { get; init; }
}
