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

        await ReadModel.SeedFromLedger(environment);
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
}
