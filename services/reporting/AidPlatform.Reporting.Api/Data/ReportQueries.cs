using System.ComponentModel.DataAnnotations;
using AidPlatform.Reporting.Api.Domain;
using Dapper;
using Npgsql;

namespace AidPlatform.Reporting.Api.Data;

/// <summary>Amounts by transaction type, in USD.</summary>
public sealed record Amounts(decimal CommittedUsd, decimal DisbursedUsd, decimal ExpenditureUsd, long TransactionCount);

public sealed record Summary(decimal CommittedUsd, decimal DisbursedUsd, decimal ExpenditureUsd, long NgoCount, long ProjectCount, long TransactionCount);

public sealed record BreakdownRow(string Key, string Label, decimal CommittedUsd, decimal DisbursedUsd, decimal ExpenditureUsd, long TransactionCount);

public sealed record Breakdown([property: AllowedValues("province", "sector", "sectorCategory", "ngo", "country", "year", "month", "type", "project")] string By, IReadOnlyList<BreakdownRow> Rows, Amounts Total);

/// <summary>
/// Reports are sums of the allocated cells, so every breakdown and the summary agree to the cent under
/// any filter. Where the filter allows (no NGO, province or sector, whole months), they read the monthly
/// aggregates kept in step with the cells instead: the same sums, from thousands of rows, not millions.
/// </summary>
public static class ReportQueries
{
    public static readonly IReadOnlyList<string> Dimensions = ["province", "sector", "sectorCategory", "ngo", "country", "year", "month", "type", "project"];

    // Dapper fills records through their constructors: column order = parameter order.
    private const string CellSums = """
        coalesce(sum(c.amount_usd) filter (where c.type = 'commitment'), 0) as committed_usd,
        coalesce(sum(c.amount_usd) filter (where c.type = 'disbursement'), 0) as disbursed_usd,
        coalesce(sum(c.amount_usd) filter (where c.type = 'expenditure'), 0) as expenditure_usd
        """;

    private const string CellCount = "count(distinct c.transaction_id) as transaction_count";

    private const string AggregateSums = """
        coalesce(sum(a.amount_usd) filter (where a.type = 'commitment'), 0) as committed_usd,
        coalesce(sum(a.amount_usd) filter (where a.type = 'disbursement'), 0) as disbursed_usd,
        coalesce(sum(a.amount_usd) filter (where a.type = 'expenditure'), 0) as expenditure_usd
        """;

    private const string AggregateCount = "coalesce(sum(a.transaction_count), 0)::bigint as transaction_count";

    private const string AggregateWhere = """
        where (@From::date is null or a.month >= @From)
          and (@To::date is null or a.month <= @To)
          and (@Type::text is null or a.type = @Type)
        """;

    /// <summary>The aggregates have no NGO or project filter, province-within-sector or day: only these filters fit them.</summary>
    public static bool FitsAggregates(ReportFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return filter.NgoId is null && filter.ProjectId is null && filter.ProvinceCode is null && filter.SectorCode is null && filter.CategoryCode is null
            && (filter.From is null || filter.From.Value.Day == 1)
            && (filter.To is null || (filter.To.Value < DateOnly.MaxValue && filter.To.Value.AddDays(1).Day == 1));
    }

    public static async Task<Summary> GetSummary(NpgsqlConnection connection, ReportFilter filter)
    {
        var sql = FitsAggregates(filter)
            ? $"""
                select {AggregateSums},
                       (select count(distinct a.ngo_id) from agg_ngo a {AggregateWhere} and a.transaction_count > 0) as ngo_count,
                       (select count(distinct a.project_id) from agg_project a {AggregateWhere} and a.transaction_count > 0) as project_count,
                       {AggregateCount}
                from agg_ngo a
                {AggregateWhere}
                """
            : $"""
                select {CellSums}, count(distinct c.ngo_id) as ngo_count, count(distinct c.project_id) as project_count, {CellCount}
                from cells c
                {ReportFilter.Where}
                """;
        return await connection.QuerySingleAsync<Summary>(sql, filter);
    }

    public static async Task<Breakdown> GetBreakdown(NpgsqlConnection connection, string by, ReportFilter filter)
    {
        var (rowsSql, totalSql) = FitsAggregates(filter) ? FromAggregates(by) : FromCells(by);
        var rows = (await connection.QueryAsync<BreakdownRow>(rowsSql, filter)).AsList();
        var total = await connection.QuerySingleAsync<Amounts>(totalSql, filter);
        return new Breakdown(by, rows, total);
    }

    /// <summary>Totals by type over the projected ledger rows, as the disbursement service computes them.</summary>
    public static Task<Amounts> GetLedgerTotals(NpgsqlConnection connection, DateOnly? from, DateOnly? to)
    {
        var filter = new ReportFilter(from, to, null, null, null, null, null);
        var sql = FitsAggregates(filter)
            ? $"select {AggregateSums}, {AggregateCount} from agg_ngo a {AggregateWhere}"
            : $"select {CellSums}, {CellCount} from cells c {ReportFilter.Where}";
        return connection.QuerySingleAsync<Amounts>(sql, filter);
    }

    internal static (string Rows, string Total) FromCells(string by)
    {
        var (key, label, join) = by switch
        {
            "province" => ("c.province_code", "coalesce(pl.name, 'Not yet allocated')", "left join province_labels pl on pl.code = c.province_code"),
            "sector" => ("c.sector_code", "coalesce(sl.name, 'Not yet allocated')", "left join sector_labels sl on sl.code = c.sector_code"),
            "sectorCategory" => ("c.category_code", "coalesce(sc.category_name, 'Not yet allocated')", $"left join {Categories} sc on sc.category_code = c.category_code"),
            "ngo" => ("c.ngo_id::text", "coalesce(n.name, 'Not yet known')", "left join ngos n on n.id = c.ngo_id"),
            "country" => ("coalesce(n.country, '')", "coalesce(n.country, 'Not yet known')", "left join ngos n on n.id = c.ngo_id"),
            "year" => ("to_char(c.value_date, 'YYYY')", "to_char(c.value_date, 'YYYY')", ""),
            "month" => ("to_char(c.value_date, 'YYYY-MM')", "to_char(c.value_date, 'YYYY-MM')", ""),
            "type" => ("c.type", "c.type", ""),
            "project" => ("c.project_id::text", "coalesce(p.title, 'Not yet known')", "left join projects p on p.id = c.project_id"),
            _ => throw new ArgumentOutOfRangeException(nameof(by), by, "Unknown dimension."),
        };
        return ($"""
            select {key} as key, min({label}) as label, {CellSums}, {CellCount}
            from cells c {join}
            {ReportFilter.Where}
            group by 1 order by 1
            """,
            $"select {CellSums}, {CellCount} from cells c {ReportFilter.Where}");
    }

    internal static (string Rows, string Total) FromAggregates(string by)
    {
        var (table, key, label, join) = by switch
        {
            "province" => ("agg_province", "a.province_code", "coalesce(pl.name, 'Not yet allocated')", "left join province_labels pl on pl.code = a.province_code"),
            "sector" => ("agg_sector", "a.sector_code", "coalesce(sl.name, 'Not yet allocated')", "left join sector_labels sl on sl.code = a.sector_code"),
            "sectorCategory" => ("agg_category", "a.category_code", "coalesce(sc.category_name, 'Not yet allocated')", $"left join {Categories} sc on sc.category_code = a.category_code"),
            "ngo" => ("agg_ngo", "a.ngo_id::text", "coalesce(n.name, 'Not yet known')", "left join ngos n on n.id = a.ngo_id"),
            "country" => ("agg_ngo", "coalesce(n.country, '')", "coalesce(n.country, 'Not yet known')", "left join ngos n on n.id = a.ngo_id"),
            "year" => ("agg_ngo", "to_char(a.month, 'YYYY')", "to_char(a.month, 'YYYY')", ""),
            "month" => ("agg_ngo", "to_char(a.month, 'YYYY-MM')", "to_char(a.month, 'YYYY-MM')", ""),
            "type" => ("agg_ngo", "a.type", "a.type", ""),
            "project" => ("agg_project", "a.project_id::text", "coalesce(p.title, 'Not yet known')", "left join projects p on p.id = a.project_id"),
            _ => throw new ArgumentOutOfRangeException(nameof(by), by, "Unknown dimension."),
        };
        // A key a re-allocation emptied (a project moved out of a province) keeps a zero row: leave it out.
        return ($"""
            select {key} as key, min({label}) as label, {AggregateSums}, {AggregateCount}
            from {table} a {join}
            {AggregateWhere}
            group by 1 having sum(a.transaction_count) > 0 order by 1
            """,
            $"select {AggregateSums}, {AggregateCount} from agg_ngo a {AggregateWhere}");
    }

    private const string Categories = "(select distinct category_code, category_name from sector_labels)";
}
