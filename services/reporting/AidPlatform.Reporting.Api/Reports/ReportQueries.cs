using Dapper;
using Npgsql;

namespace AidPlatform.Reporting.Api.Reports;

/// <summary>Amounts by transaction type, in USD.</summary>
public sealed record Amounts(decimal CommittedUsd, decimal DisbursedUsd, decimal ExpenditureUsd, long TransactionCount);

public sealed record Summary(decimal CommittedUsd, decimal DisbursedUsd, decimal ExpenditureUsd, long NgoCount, long ProjectCount, long TransactionCount);

public sealed record BreakdownRow(string Key, string Label, decimal CommittedUsd, decimal DisbursedUsd, decimal ExpenditureUsd, long TransactionCount);

public sealed record Breakdown(string By, IReadOnlyList<BreakdownRow> Rows, Amounts Total);

/// <summary>
/// Reports read the allocated cells, so that every breakdown and the summary are sums of the same
/// rounded parts and agree to the cent under any filter.
/// </summary>
public static class ReportQueries
{
    public static readonly IReadOnlyList<string> Dimensions = ["province", "sector", "sectorCategory", "ngo", "country", "year", "month", "type"];

    // Dapper fills records through their constructors, column order = parameter order.
    private const string AmountSums = """
        coalesce(sum(c.amount_usd) filter (where c.type = 'commitment'), 0) as committed_usd,
        coalesce(sum(c.amount_usd) filter (where c.type = 'disbursement'), 0) as disbursed_usd,
        coalesce(sum(c.amount_usd) filter (where c.type = 'expenditure'), 0) as expenditure_usd
        """;

    private const string Sums = $"{AmountSums}, count(distinct c.transaction_id) as transaction_count";

    public static async Task<Summary> GetSummary(NpgsqlConnection connection, ReportFilter filter)
    {
        var sql = $"""
            select {AmountSums}, count(distinct c.ngo_id) as ngo_count, count(distinct c.project_id) as project_count,
                   count(distinct c.transaction_id) as transaction_count
            from cells c
            {ReportFilter.Where}
            """;
        return await connection.QuerySingleAsync<Summary>(sql, filter);
    }

    public static async Task<Breakdown> GetBreakdown(NpgsqlConnection connection, string by, ReportFilter filter)
    {
        var (key, label, join) = by switch
        {
            "province" => ("c.province_code", "coalesce(pl.name, 'Not yet allocated')", "left join province_labels pl on pl.code = c.province_code"),
            "sector" => ("c.sector_code", "coalesce(sl.name, 'Not yet allocated')", "left join sector_labels sl on sl.code = c.sector_code"),
            "sectorCategory" => ("c.category_code", "coalesce(sc.category_name, 'Not yet allocated')",
                "left join (select distinct category_code, category_name from sector_labels) sc on sc.category_code = c.category_code"),
            "ngo" => ("c.ngo_id::text", "coalesce(n.name, 'Not yet known')", "left join ngos n on n.id = c.ngo_id"),
            "country" => ("coalesce(n.country, '')", "coalesce(n.country, 'Not yet known')", "left join ngos n on n.id = c.ngo_id"),
            "year" => ("to_char(c.value_date, 'YYYY')", "to_char(c.value_date, 'YYYY')", ""),
            "month" => ("to_char(c.value_date, 'YYYY-MM')", "to_char(c.value_date, 'YYYY-MM')", ""),
            "type" => ("c.type", "c.type", ""),
            _ => throw new ArgumentOutOfRangeException(nameof(by), by, "Unknown dimension."),
        };

        var rowsSql = $"""
            select {key} as key, min({label}) as label, {Sums}
            from cells c
            {join}
            {ReportFilter.Where}
            group by 1
            order by 1
            """;
        var totalSql = $"select {Sums} from cells c {ReportFilter.Where}";
        var rows = (await connection.QueryAsync<BreakdownRow>(rowsSql, filter)).AsList();
        var total = await connection.QuerySingleAsync<Amounts>(totalSql, filter);
        return new Breakdown(by, rows, total);
    }

    /// <summary>Totals by type over the projected ledger rows, as the disbursement service computes them.</summary>
    public static async Task<Amounts> GetLedgerTotals(NpgsqlConnection connection, DateOnly? from, DateOnly? to)
    {
        var sql = $"select {Sums} from cells c where (@from::date is null or c.value_date >= @from) and (@to::date is null or c.value_date <= @to)";
        return await connection.QuerySingleAsync<Amounts>(sql, new { from, to });
    }
}
