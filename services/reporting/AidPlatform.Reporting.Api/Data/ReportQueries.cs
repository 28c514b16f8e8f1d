using AidPlatform.Reporting.Api.Domain;
using Dapper;
using Npgsql;

namespace AidPlatform.Reporting.Api.Data;

/// <summary>
/// Reports are sums of the allocated cells, so every breakdown and the summary agree to the cent under
/// any filter. Where the filter allows (no NGO, province or sector, whole months), they read the monthly
/// aggregates kept in step with the cells instead: the same sums, from thousands of rows, not millions.
/// </summary>
public sealed class ReportQueries(NpgsqlDataSource db)
{
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

    /// <summary>The WHERE clause over <c>cells c</c>; parameters are <see cref="ReportFilter"/>'s properties.</summary>
    private const string CellWhere = """
        where (@From::date is null or c.value_date >= @From)
          and (@To::date is null or c.value_date <= @To)
          and (@NgoId::uuid is null or c.ngo_id = @NgoId)
          and (@ProjectId::uuid is null or c.project_id = @ProjectId)
          and (@ProvinceCode::text is null or c.province_code = @ProvinceCode)
          and (@SectorCode::text is null or c.sector_code = @SectorCode)
          and (@CategoryCode::text is null or c.category_code = @CategoryCode)
          and (@Type::text is null or c.type = @Type)
        """;

    /// <summary>The aggregates have no NGO or project filter, province-within-sector or day: only these filters fit them.</summary>
    public static bool FitsAggregates(ReportFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return filter.NgoId is null && filter.ProjectId is null && filter.ProvinceCode is null && filter.SectorCode is null && filter.CategoryCode is null
            && (filter.From is null || filter.From.Value.Day == 1)
            && (filter.To is null || (filter.To.Value < DateOnly.MaxValue && filter.To.Value.AddDays(1).Day == 1));
    }

    /// <summary>The summary under a well-formed filter, once the data has checked it (<see cref="ReportFilterChecks"/>).</summary>
    public async Task<Summary> GetSummary(ReportFilter asked, Guid? partnerNgo, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var filter = await ReportFilterChecks.Resolve(connection, asked, partnerNgo);
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
                {CellWhere}
                """;
        return await connection.QuerySingleAsync<Summary>(sql, filter);
    }

    /// <summary>
    /// The breakdown by <paramref name="by"/> under a well-formed filter, once the data has checked it. By policy
    /// marker, <paramref name="significance"/> (a <see cref="PolicyMarkers.SignificanceLevels"/> value, null for
    /// <c>any</c>) says which markers count; the total is still the whole under the filter, as for every dimension.
    /// </summary>
    public async Task<Breakdown> GetBreakdown(string by, ReportFilter asked, Guid? partnerNgo, string? significance, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var filter = await ReportFilterChecks.Resolve(connection, asked, partnerNgo);
        var (rowsSql, totalSql) = FitsAggregates(filter) ? FromAggregates(by) : FromCells(by);
        var parameters = new DynamicParameters(filter);
        parameters.Add("Significances", PolicyMarkers.Significances(significance));
        var rows = (await connection.QueryAsync<BreakdownRow>(rowsSql, parameters)).AsList();
        var total = await connection.QuerySingleAsync<Amounts>(totalSql, filter);
        return new Breakdown(by, rows, total);
    }

    /// <summary>Totals by type over the projected ledger rows, as the disbursement service computes them.</summary>
    public async Task<Amounts> GetLedgerTotals(DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        var filter = new ReportFilter(from, to, null, null, null, null, null);
        var sql = FitsAggregates(filter)
            ? $"select {AggregateSums}, {AggregateCount} from agg_ngo a {AggregateWhere}"
            : $"select {CellSums}, {CellCount} from cells c {CellWhere}";
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<Amounts>(sql, filter);
    }

    /// <summary>A project's budget and period, its committed, disbursed and spent USD and its latest value date; null when it has not been reported.</summary>
    public async Task<ProjectFigures?> GetProject(Guid id, CancellationToken cancellationToken)
    {
        const string sql = """
            select p.id, p.ngo_id, p.budget_amount, p.budget_currency, p.start_date,
                   coalesce(t.committed_usd, 0) as committed_usd, coalesce(t.disbursed_usd, 0) as disbursed_usd,
                   coalesce(t.expenditure_usd, 0) as expenditure_usd, p.end_date, t.last_value_date
            from projects p
            left join lateral (
                select sum(amount_usd) filter (where type = 'commitment') as committed_usd,
                       sum(amount_usd) filter (where type = 'disbursement') as disbursed_usd,
                       sum(amount_usd) filter (where type = 'expenditure') as expenditure_usd,
                       max(value_date) as last_value_date
                from transactions where project_id = p.id) t on true
            where p.id = @id
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<ProjectFigures>(sql, new { id });
    }

    /// <summary>
    /// How many events were projected, when the last one occurred and was projected, and how many of the
    /// <paramref name="ledgerEntries"/> the ledger holds are not yet among the projected transactions.
    /// </summary>
    public async Task<FreshnessDto> GetFreshness(long? ledgerEntries, CancellationToken cancellationToken)
    {
        const string sql = """
            select (select count(*) from processed_events) as events_processed, occurred_at as last_event_at, processed_at as last_processed_at,
                   (select count(*) from transactions) as projected_entries
            from (select 1) one left join lateral (
                select occurred_at, processed_at from processed_events order by processed_at desc limit 1) last on true
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var state = await connection.QuerySingleAsync<FreshnessRow>(sql);
        return FreshnessDto.Of(state.EventsProcessed, Utc(state.LastEventAt), Utc(state.LastProcessedAt), ledgerEntries, state.ProjectedEntries);
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
            "policyMarker" => ("m.code", "coalesce(ml.name, m.code)", MarkersOf("c")),
            _ => throw new ArgumentOutOfRangeException(nameof(by), by, "Unknown dimension."),
        };
        return ($"""
            select {key} as key, min({label}) as label, {CellSums}, {CellCount}
            from cells c {join}
            {CellWhere}
            group by 1 order by {OrderOf(by)}
            """,
            $"select {CellSums}, {CellCount} from cells c {CellWhere}");
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
            "policyMarker" => ("agg_project", "m.code", "coalesce(ml.name, m.code)", MarkersOf("a")),
            _ => throw new ArgumentOutOfRangeException(nameof(by), by, "Unknown dimension."),
        };
        // A key a re-allocation emptied (a project moved out of a province) keeps a zero row: leave it out.
        return ($"""
            select {key} as key, min({label}) as label, {AggregateSums}, {AggregateCount}
            from {table} a {join}
            {AggregateWhere}
            group by 1 having sum(a.transaction_count) > 0 order by {OrderOf(by)}
            """,
            $"select {AggregateSums}, {AggregateCount} from agg_ngo a {AggregateWhere}");
    }

    private const string Categories = "(select distinct category_code, category_name from sector_labels)";

    /// <summary>
    /// Each row of <paramref name="alias"/> once under every marker its project carries at the asked significances
    /// (<c>@Significances</c>): a project has each code once, so no row counts twice under one marker.
    /// </summary>
    private static string MarkersOf(string alias) => $"""
        join project_policy_markers m on m.project_id = {alias}.project_id and m.significance = any(@Significances)
        left join policy_marker_labels ml on ml.code = m.code
        """;

    /// <summary>Marker codes are numbers (1 to 12): in numeric order, not as text.</summary>
    private static string OrderOf(string by) => by == "policyMarker" ? "length(m.code), m.code" : "1";

    private static DateTimeOffset? Utc(DateTime? at) => at is { } value ? new DateTimeOffset(value, TimeSpan.Zero) : null;

    private sealed record FreshnessRow(long EventsProcessed, DateTime? LastEventAt, DateTime? LastProcessedAt, long ProjectedEntries);
}
