using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using AidPlatform.Benchmarks.Infrastructure;
using Dapper;

namespace AidPlatform.Benchmarks.Scenarios;

/// <summary>
/// Scenario 5: the summary and the breakdowns by province and by sector over a ledger of 1,000,000
/// transactions, p50 and p99 over sequential requests, against a plain GROUP BY over the ledger rows.
/// Targets: p99 at most 20 ms, and at least 50 times faster than the GROUP BY.
/// </summary>
internal sealed class ReportScenario(BenchEnvironment environment, Figures figures)
{
    private const int Requests = 200;
    private const int BaselineRuns = 15;

    // The same sums straight from the ledger; a row without a province of its own takes its project's
    // (each benchmark project has one location and one sector at 100 %).
    private const string Sums = """
        coalesce(sum(d.amount_usd) filter (where d.type = 'commitment'), 0) as committed,
        coalesce(sum(d.amount_usd) filter (where d.type = 'disbursement'), 0) as disbursed,
        coalesce(sum(d.amount_usd) filter (where d.type = 'expenditure'), 0) as spent,
        count(*) as transactions
        """;

    private static readonly (string Name, string Path, string Sql)[] Reports =
    [
        ("summary", "/api/v1/reports/summary",
            $"select {Sums}, count(distinct d.ngo_id) as ngos, count(distinct d.project_id) as projects from disbursement.disbursements d"),
        ("breakdown_province", "/api/v1/reports/breakdown?by=province",
            $"""
            select coalesce(d.current_province_code, l.province_code) as key, {Sums}
            from disbursement.disbursements d join reporting.project_locations l on l.project_id = d.project_id
            group by 1 order by 1
            """),
        ("breakdown_sector", "/api/v1/reports/breakdown?by=sector",
            $"""
            select s.sector_code as key, {Sums}
            from disbursement.disbursements d join reporting.project_sectors s on s.project_id = d.project_id
            group by 1 order by 1
            """),
    ];

    public async Task Run()
    {
        var ledger = await environment.Scalar("select count(*) from disbursement.disbursements");
        if (ledger < IngestScenario.ImportRows)
        {
            Stats.Progress($"reports: the ledger holds {ledger:N0} rows; importing {IngestScenario.ImportRows:N0} more");
            await IngestScenario.FillLedger(environment, IngestScenario.ImportRows);
        }

        await SeedReadModel();
        await BenchEnvironment.PurgeReportingQueue();
        var disbursement = await environment.Start("disbursement");
        var reporting = await environment.Start("reporting");
        try
        {
            var reconciliation = await reporting.Client.GetFromJsonAsync<JsonElement>("/api/v1/reports/reconciliation");
            if (!reconciliation.GetProperty("consistent").GetBoolean())
            {
                throw new InvalidOperationException($"the seeded read model does not reconcile with the ledger: {reconciliation}");
            }

            // Every endpoint warm (JIT tiers, plans, pools) before any is timed.
            for (var i = 0; i < 50; i++)
            {
                foreach (var (_, path, _) in Reports)
                {
                    using var response = await reporting.Client.GetAsync(path);
                    response.EnsureSuccessStatusCode();
                }
            }

            foreach (var (name, path, sql) in Reports)
            {
                var service = await TimeRequests(reporting.Client, path);
                var baseline = await TimeQuery(sql);
                figures.Latency($"reports.{name}.p50_ms", Stats.Percentile(service, 50), "ms", Stats.Percentile(baseline, 50), ratioAtLeast: 50);
                figures.Latency($"reports.{name}.p99_ms", Stats.Percentile(service, 99), "ms", Stats.Percentile(baseline, 99), atMost: 20, ratioAtLeast: 50);
            }
        }
        finally
        {
            await environment.Stop(reporting);
            await environment.Stop(disbursement);
        }
    }

    private static async Task<List<double>> TimeRequests(HttpClient client, string path)
    {
        var latencies = new List<double>(Requests);
        for (var i = 0; i < Requests; i++)
        {
            var start = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(path);
            response.EnsureSuccessStatusCode();
            await response.Content.LoadIntoBufferAsync();
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        return latencies;
    }

    private async Task<List<double>> TimeQuery(string sql)
    {
        var latencies = new List<double>(BaselineRuns);
        await using var connection = await environment.Admin.OpenConnectionAsync();
        for (var i = -2; i < BaselineRuns; i++)
        {
            var start = Stopwatch.GetTimestamp();
            _ = (await connection.QueryAsync(sql)).AsList();
            if (i >= 0)
            {
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }

        return latencies;
    }

    /// <summary>
    /// Fills reporting's read model from the ledger in SQL, as the projection would leave it (a transaction in
    /// its own province or its project's, in its project's one sector, whole), instead of replaying a million
    /// events: the projection's speed is scenario 4's subject, this one's is reading.
    /// </summary>
    private async Task SeedReadModel()
    {
        const string seed = """
            truncate reporting.cells, reporting.transactions, reporting.agg_ngo, reporting.agg_project, reporting.agg_province,
                     reporting.agg_sector, reporting.agg_category;
            insert into reporting.transactions (id, project_id, ngo_id, type, amount_usd, value_date, province_code, reverses_id, occurred_at)
            select id, project_id, ngo_id, type, amount_usd, value_date, current_province_code, reverses_id, recorded_at
            from disbursement.disbursements;
            insert into reporting.cells (transaction_id, project_id, ngo_id, type, value_date, province_code, sector_code, category_code, amount_usd)
            select t.id, t.project_id, t.ngo_id, t.type, t.value_date, coalesce(t.province_code, l.province_code), s.sector_code, s.category_code, t.amount_usd
            from reporting.transactions t
            join reporting.project_locations l on l.project_id = t.project_id
            join reporting.project_sectors s on s.project_id = t.project_id
            where t.amount_usd <> 0;
            insert into reporting.agg_ngo select date_trunc('month', value_date)::date, type, ngo_id, sum(amount_usd), count(distinct transaction_id) from reporting.cells group by 1, 2, 3;
            insert into reporting.agg_project select date_trunc('month', value_date)::date, type, project_id, sum(amount_usd), count(distinct transaction_id) from reporting.cells group by 1, 2, 3;
            insert into reporting.agg_province select date_trunc('month', value_date)::date, type, province_code, sum(amount_usd), count(distinct transaction_id) from reporting.cells group by 1, 2, 3;
            insert into reporting.agg_sector select date_trunc('month', value_date)::date, type, sector_code, sum(amount_usd), count(distinct transaction_id) from reporting.cells group by 1, 2, 3;
            insert into reporting.agg_category select date_trunc('month', value_date)::date, type, category_code, sum(amount_usd), count(distinct transaction_id) from reporting.cells group by 1, 2, 3;
            """;
        // Secondary indexes are dropped for the load and rebuilt from their own definitions: one sort each
        // instead of a million insertions each.
        const string indexes = """
            select format('drop index reporting.%I', indexname) as drop_index, indexdef as create_index from pg_indexes
            where schemaname = 'reporting' and tablename in ('cells', 'transactions') and indexname not like '%pkey'
            """;
        var start = Stopwatch.GetTimestamp();
        await using (var connection = await environment.Admin.OpenConnectionAsync())
        {
            await using var transaction = await connection.BeginTransactionAsync();
            var secondary = (await connection.QueryAsync<(string Drop, string Create)>(indexes, transaction: transaction)).AsList();
            await connection.ExecuteAsync(string.Join(";\n", secondary.Select(i => i.Drop)), transaction: transaction);
            await connection.ExecuteAsync(seed, transaction: transaction, commandTimeout: 0);
            await connection.ExecuteAsync(string.Join(";\n", secondary.Select(i => i.Create)), transaction: transaction, commandTimeout: 0);
            await transaction.CommitAsync();
            await connection.ExecuteAsync("vacuum analyze disbursement.disbursements; analyze reporting.cells; analyze reporting.transactions", commandTimeout: 0);
        }

        Stats.Progress($"reports: read model seeded from {await environment.Scalar("select count(*) from reporting.transactions"):N0} ledger rows in {Stopwatch.GetElapsedTime(start).TotalSeconds:0} s");
    }
}
