using AidPlatform.Reference;
using AidPlatform.Reporting.Api.Domain;
using Dapper;
using Npgsql;

namespace AidPlatform.Reporting.Api.Data;

/// <summary>Seeds province, sector and policy marker labels, and the map from any province code to its current unit.</summary>
internal sealed class ReferenceLabelSeeder(NpgsqlDataSource dataSource) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var reference = ReferenceData.Instance;
        var provinces = reference.Provinces.Current;
        var codes = reference.Provinces.CurrentOf;
        var sectors = reference.Sectors.All;

        const string sql = """
            insert into province_labels (code, name) select * from unnest(@ProvinceCodes, @ProvinceNames)
            on conflict (code) do update set name = excluded.name;
            insert into province_codes (code, current_code) select * from unnest(@Codes, @CurrentCodes)
            on conflict (code) do update set current_code = excluded.current_code;
            insert into sector_labels (code, name, category_code, category_name) select * from unnest(@SectorCodes, @SectorNames, @CategoryCodes, @CategoryNames)
            on conflict (code) do update set name = excluded.name, category_code = excluded.category_code, category_name = excluded.category_name;
            insert into policy_marker_labels (code, name) select * from unnest(@MarkerCodes, @MarkerNames)
            on conflict (code) do update set name = excluded.name;
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(sql, new
        {
            ProvinceCodes = provinces.Select(p => p.Code).ToArray(),
            ProvinceNames = provinces.Select(p => p.Name).ToArray(),
            Codes = codes.Keys.ToArray(),
            CurrentCodes = codes.Values.ToArray(),
            SectorCodes = sectors.Select(s => s.Code).ToArray(),
            SectorNames = sectors.Select(s => s.Name).ToArray(),
            CategoryCodes = sectors.Select(s => s.CategoryCode).ToArray(),
            CategoryNames = sectors.Select(s => s.CategoryName).ToArray(),
            MarkerCodes = reference.Iati.PolicyMarkers.Keys.ToArray(),
            MarkerNames = reference.Iati.PolicyMarkers.Values.Select(m => m.Name).ToArray(),
        });
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
