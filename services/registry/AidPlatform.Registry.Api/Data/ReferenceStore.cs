using AidPlatform.Registry.Api.Domain;
using Dapper;
using Npgsql;

namespace AidPlatform.Registry.Api.Data;

/// <summary>The reference tables as the seeder wrote them.</summary>
public sealed class ReferenceStore(NpgsqlDataSource db)
{
    public async Task<List<ProvinceDto>> Provinces(CancellationToken cancellationToken)
    {
        const string sql = """
            select p.code, p.name, p.kind, f.code as former_code, f.name as former_name
            from provinces p
            left join former_provinces f on f.current_code = p.code
            order by p.code, f.code
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(string Code, string Name, string Kind, string? FormerCode, string? FormerName)>(sql);
        return rows
            .GroupBy(r => (r.Code, r.Name, r.Kind))
            .Select(g => new ProvinceDto(g.Key.Code, g.Key.Name, g.Key.Kind,
                g.Where(r => r.FormerCode is not null).Select(r => new FormerProvinceRef(r.FormerCode!, r.FormerName!)).ToList()))
            .ToList();
    }

    public async Task<List<FormerProvinceDto>> FormerProvinces(CancellationToken cancellationToken)
    {
        const string sql = "select code, name, current_code from former_provinces order by code";
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<FormerProvinceDto>(sql)).AsList();
    }

    public async Task<List<DacSectorDto>> Sectors(CancellationToken cancellationToken)
    {
        const string sql = """
            select code, name, category_code, category_name,
                   case when length(code) = 3 then 'category' else 'purpose' end as kind, withdrawn
            from sectors
            order by code
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<DacSectorDto>(sql)).AsList();
    }
}
