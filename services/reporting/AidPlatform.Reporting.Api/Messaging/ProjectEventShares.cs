using AidPlatform.Contracts.Registry;
using AidPlatform.Reporting.Api.Domain;

namespace AidPlatform.Reporting.Api.Messaging;

/// <summary>A project event's sectors and locations, as the projection splits transactions by them.</summary>
internal static class ProjectEventShares
{
    public static ProjectShares Of(IReadOnlyList<ProjectSector> sectors, IReadOnlyList<ProjectLocation> locations) => new(
        [.. sectors.Select(s => (s.Code, s.CategoryCode, s.Percentage))],
        // Reports use the current 34 units, whatever code the partner gave.
        [.. locations.Select(l => (l.CurrentProvinceCode, l.Percentage))]);
}
