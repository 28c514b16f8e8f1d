using AidPlatform.Reference;
using Dapper;
using Npgsql;

namespace AidPlatform.Registry.Api.Data;

/// <summary>
/// Upserts the reference data at start-up (after the migrations), so a corrected file in
/// AidPlatform.Reference reaches the database with the next release without a hand-written migration.
/// </summary>
internal sealed class ReferenceDataSeeder(NpgsqlDataSource dataSource, ILogger<ReferenceDataSeeder> logger) : IHostedService
{
    private const string UpsertProvinces = """
        insert into provinces (code, name, name_ascii, kind)
        select * from unnest(@Codes, @Names, @NamesAscii, @Kinds)
        on conflict (code) do update set name = excluded.name, name_ascii = excluded.name_ascii, kind = excluded.kind
        """;

    private const string UpsertFormerProvinces = """
        insert into former_provinces (code, name, name_ascii, current_code)
        select * from unnest(@Codes, @Names, @NamesAscii, @CurrentCodes)
        on conflict (code) do update set name = excluded.name, name_ascii = excluded.name_ascii, current_code = excluded.current_code
        """;

    private const string UpsertSectors = """
        insert into sectors (code, name, category_code, category_name, withdrawn)
        select * from unnest(@Codes, @Names, @CategoryCodes, @CategoryNames, @Withdrawn)
        on conflict (code) do update set name = excluded.name, category_code = excluded.category_code,
            category_name = excluded.category_name, withdrawn = excluded.withdrawn
        """;

    private const string UpsertStatuses = """
        insert into activity_statuses (code, name, description)
        select * from unnest(@Codes, @Names, @Descriptions)
        on conflict (code) do update set name = excluded.name, description = excluded.description
        """;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var reference = ReferenceData.Instance;
        var provinces = reference.Provinces.Current;
        var former = reference.Provinces.Former;
        var sectors = reference.Sectors.All;
        var statuses = reference.ActivityStatuses;

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(UpsertProvinces, new
        {
            Codes = provinces.Select(p => p.Code).ToArray(),
            Names = provinces.Select(p => p.Name).ToArray(),
            NamesAscii = provinces.Select(p => p.NameAscii).ToArray(),
            Kinds = provinces.Select(p => p.Kind).ToArray(),
        }, transaction);
        await connection.ExecuteAsync(UpsertFormerProvinces, new
        {
            Codes = former.Select(p => p.Code).ToArray(),
            Names = former.Select(p => p.Name).ToArray(),
            NamesAscii = former.Select(p => p.NameAscii).ToArray(),
            CurrentCodes = former.Select(p => p.CurrentCode).ToArray(),
        }, transaction);
        await connection.ExecuteAsync(UpsertSectors, new
        {
            Codes = sectors.Select(s => s.Code).ToArray(),
            Names = sectors.Select(s => s.Name).ToArray(),
            CategoryCodes = sectors.Select(s => s.CategoryCode).ToArray(),
            CategoryNames = sectors.Select(s => s.CategoryName).ToArray(),
            Withdrawn = sectors.Select(s => s.Withdrawn).ToArray(),
        }, transaction);
        await connection.ExecuteAsync(UpsertStatuses, new
        {
            Codes = statuses.Select(s => s.Code).ToArray(),
            Names = statuses.Select(s => s.Name).ToArray(),
            Descriptions = statuses.Select(s => s.Description).ToArray(),
        }, transaction);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Reference data: {Provinces} provinces, {Former} former provinces, {Sectors} sectors", provinces.Count, former.Count, sectors.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
