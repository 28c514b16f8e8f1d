using AidPlatform.Registry.Api.Data;
using AidPlatform.Registry.Api.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AidPlatform.Registry.Api.Endpoints;

/// <summary>Read-only reference data: provinces (current and former), DAC sectors, IATI activity statuses.</summary>
public static class ReferenceEndpoints
{
    public static IEndpointRouteBuilder MapReferenceEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/reference").WithTags("Reference data").AllowAnonymous();
        group.MapGet("/provinces", GetProvinces)
            .WithName("ListProvinces")
            .WithSummary("The 34 provincial units in force since 2025-07-01, with the former units merged into each.");
        group.MapGet("/provinces/former", GetFormerProvinces)
            .WithName("ListFormerProvinces")
            .WithSummary("The 63 provincial units before 2025-07-01, with the current unit each merged into.");
        group.MapGet("/sectors", GetSectors)
            .WithName("ListSectors")
            .WithSummary("OECD DAC CRS sectors: 3-digit categories and 5-digit purpose codes.");
        return routes;
    }

    internal static async Task<Ok<List<ProvinceDto>>> GetProvinces(ReferenceStore reference, CancellationToken cancellationToken) =>
        TypedResults.Ok(await reference.Provinces(cancellationToken));

    internal static async Task<Ok<List<FormerProvinceDto>>> GetFormerProvinces(ReferenceStore reference, CancellationToken cancellationToken) =>
        TypedResults.Ok(await reference.FormerProvinces(cancellationToken));

    internal static async Task<Ok<List<DacSectorDto>>> GetSectors(ReferenceStore reference, CancellationToken cancellationToken) =>
        TypedResults.Ok(await reference.Sectors(cancellationToken));
}
