using System.ComponentModel.DataAnnotations;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

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

    public sealed record FormerProvinceRef(string Code, string Name);

    public sealed record ProvinceDto(string Code, string Name, [property: AllowedValues("city", "province")] string Kind, IReadOnlyList<FormerProvinceRef> FormerProvinces);

    public sealed record FormerProvinceDto(string Code, string Name, string CurrentCode);

    public sealed record DacSectorDto(string Code, string Name, string CategoryCode, string CategoryName, [property: AllowedValues("category", "purpose")] string Kind, bool Withdrawn);

    internal static async Task<Ok<List<ProvinceDto>>> GetProvinces(NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        const string sql = """
            select p.code, p.name, p.kind, f.code as former_code, f.name as former_name
            from provinces p
            left join former_provinces f on f.current_code = p.code
            order by p.code, f.code
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Code, string Name, string Kind, string? FormerCode, string? FormerName)>(sql);
        var provinces = rows
            .GroupBy(r => (r.Code, r.Name, r.Kind))
            .Select(g => new ProvinceDto(g.Key.Code, g.Key.Name, g.Key.Kind,
                g.Where(r => r.FormerCode is not null).Select(r => new FormerProvinceRef(r.FormerCode!, r.FormerName!)).ToList()))
            .ToList();
        return TypedResults.Ok(provinces);
    }

    internal static async Task<Ok<List<FormerProvinceDto>>> GetFormerProvinces(NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        const string sql = "select code, name, current_code from former_provinces order by code";
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return TypedResults.Ok((await connection.QueryAsync<FormerProvinceDto>(sql)).AsList());
    }

    internal static async Task<Ok<List<DacSectorDto>>> GetSectors(NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        const string sql = """
            select code, name, category_code, category_name,
                   case when length(code) = 3 then 'category' else 'purpose' end as kind, withdrawn
            from sectors
            order by code
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return TypedResults.Ok((await connection.QueryAsync<DacSectorDto>(sql)).AsList());
    }
}
