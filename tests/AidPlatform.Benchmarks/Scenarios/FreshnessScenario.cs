using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using AidPlatform.Benchmarks.Infrastructure;
using AidPlatform.Reference;
using AidPlatform.Testing;

namespace AidPlatform.Benchmarks.Scenarios;

/// <summary>
/// Scenario 7: a CSV import until it is in the reports, to the cent. From just before the upload until
/// reporting's freshness says caught up and its summary equals the totals before plus the file's rows.
/// Target: within 3 times the import's own time (upload to succeeded) or 30 s, whichever is longer.
/// Through the HTTP API only, so that it measures whatever the import and the projection do.
/// </summary>
internal sealed class FreshnessScenario(BenchEnvironment environment, Figures figures, int rows)
{
    public const int DefaultRows = 100_000;
    private static readonly TimeSpan GiveUp = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(5);

    public async Task Run()
    {
        // Earlier scenarios dropped their events: the reports start level with the ledger, or they never catch up.
        await BenchEnvironment.PurgeReportingQueue();
        await ReadModel.SeedFromLedger(environment);
        var data = new LedgerData(environment.Projects, 45).Take(rows);
        var added = UsdTotals.Of(data, await Rates.Load(environment.Admin));
        var path = Path.Combine(Path.GetTempPath(), $"{BenchEnvironment.Database}-freshness-{rows}.csv");
        await LedgerData.WriteCsv(path, data);
        var reporting = await environment.Start("reporting");
        var disbursement = await environment.Start("disbursement");
        try
        {
            await Measure(disbursement, reporting.Client, path, added);
        }
        finally
        {
            await environment.Stop(disbursement);
            await environment.Stop(reporting);
            File.Delete(path);
        }

        // Whatever the projection did not reach by the end must not run into the next scenario.
        await environment.DiscardLedgerEvents();
    }

    private async Task Measure(ServiceProcess disbursement, HttpClient reporting, string path, UsdTotals added)
    {
        await Eventually.True(async () => (await Freshness(reporting)).CaughtUp == true, "the reports to be level with the ledger", TimeSpan.FromMinutes(1));
        var reportsBefore = await Summary(reporting);
        var ledgerBefore = await LedgerTotals(disbursement.Client);
        using var client = Load.Client(disbursement.BaseAddress, 2);
        client.Timeout = TimeSpan.FromMinutes(10);

        var t0 = Stopwatch.GetTimestamp();
        await IngestScenario.ImportFile(client, path, rows);
        var importSeconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        Stats.Progress($"freshness: the import of {rows:N0} rows succeeded after {importSeconds:0.0} s");

        // The rows converted here by the ledger's rule must be what the ledger gained; else the expectation, not the reports, would be wrong.
        var ledgerAfter = await LedgerTotals(disbursement.Client);
        if (ledgerAfter != ledgerBefore.Plus(added))
        {
            throw new InvalidOperationException($"the ledger gained {ledgerAfter.Minus(ledgerBefore)}, the file's rows add up to {added}");
        }

        var expected = reportsBefore.Plus(added);
        var (seconds, visible, projected) = await WaitVisible(reporting, t0, expected);
        var limit = Math.Max(3 * importSeconds, 30);
        var name = $"freshness.import_{rows}";
        figures.Add(new Figure($"{name}.import_s", importSeconds, "s", 0, 0));
        figures.Add(new Figure($"{name}.visible_s", seconds, "s", importSeconds, seconds / importSeconds,
            $"value <= max(3 x import_s, 30) = {limit:0.#}", visible && seconds <= limit));
        figures.Add(new Figure($"{name}.rows_visible", projected, "rows", rows, (double)projected / rows));
    }

    /// <summary>
    /// Polls until the reports show the import: seconds from <paramref name="t0"/>, whether they did before
    /// giving up, and how many of the rows the reports held at the end.
    /// </summary>
    private async Task<(double Seconds, bool Visible, long Projected)> WaitVisible(HttpClient reporting, long t0, UsdTotals expected)
    {
        long projected = 0;
        var lastProgress = (At: t0, Projected: 0L);
        var summary = default(UsdTotals);
        while (Stopwatch.GetElapsedTime(t0) < GiveUp)
        {
            // Freshness counts the whole ledger each time; asked every poll, it would load the machine the
            // projection runs on. The summary reads the monthly aggregates, so it is the one polled.
            summary = await Summary(reporting);
            var progressDue = Stopwatch.GetElapsedTime(lastProgress.At) >= ProgressInterval;
            if (summary == expected || progressDue)
            {
                var freshness = await Freshness(reporting);
                projected = freshness.Pending is { } pending ? rows - pending : projected;
                if (summary == expected && freshness.CaughtUp == true)
                {
                    return (Stopwatch.GetElapsedTime(t0).TotalSeconds, true, rows);
                }

                if (progressDue)
                {
                    var now = Stopwatch.GetTimestamp();
                    var rate = (projected - lastProgress.Projected) / Stopwatch.GetElapsedTime(lastProgress.At, now).TotalSeconds;
                    Stats.Progress($"freshness: {Stopwatch.GetElapsedTime(t0, now).TotalSeconds:0} s, {projected:N0} of {rows:N0} rows in the reports ({rate:0} rows/s)");
                    lastProgress = (now, projected);
                }
            }

            await Task.Delay(PollInterval);
        }

        projected = (await Freshness(reporting)).Pending is { } left ? rows - left : projected;
        Stats.Progress($"freshness: gave up after {Stopwatch.GetElapsedTime(t0).TotalSeconds:0} s with {projected:N0} of {rows:N0} rows in the reports; summary {summary}, expected {expected}");
        return (Stopwatch.GetElapsedTime(t0).TotalSeconds, false, projected);
    }

    private static async Task<UsdTotals> Summary(HttpClient reporting)
    {
        var summary = await reporting.GetFromJsonAsync<JsonElement>("/api/v1/reports/summary");
        return new UsdTotals(summary.GetProperty("committedUsd").GetDecimal(), summary.GetProperty("disbursedUsd").GetDecimal(),
            summary.GetProperty("expenditureUsd").GetDecimal());
    }

    private static async Task<UsdTotals> LedgerTotals(HttpClient disbursement)
    {
        var byType = (await disbursement.GetFromJsonAsync<JsonElement>("/api/v1/disbursements/totals")).GetProperty("byType");
        return new UsdTotals(byType.GetProperty("commitment").GetDecimal(), byType.GetProperty("disbursement").GetDecimal(),
            byType.GetProperty("expenditure").GetDecimal());
    }

    /// <summary>Freshness's pendingEvents and caughtUp; both null while reporting cannot ask the ledger.</summary>
    private static async Task<(long? Pending, bool? CaughtUp)> Freshness(HttpClient reporting)
    {
        var freshness = await reporting.GetFromJsonAsync<JsonElement>("/api/v1/reports/freshness");
        var pending = freshness.GetProperty("pendingEvents");
        var caughtUp = freshness.GetProperty("caughtUp");
        return (pending.ValueKind == JsonValueKind.Null ? null : pending.GetInt64(), caughtUp.ValueKind == JsonValueKind.Null ? null : caughtUp.GetBoolean());
    }

    /// <summary>USD totals by ledger type, as the summary and the ledger's totals give them.</summary>
    private readonly record struct UsdTotals(decimal Commitment, decimal Disbursement, decimal Expenditure)
    {
        /// <summary>What the rows add to the ledger: each converted at its own rate and rounded to the cent, as the ledger does.</summary>
        public static UsdTotals Of(IEnumerable<LedgerInput> rows, Rates rates)
        {
            var sums = new Dictionary<string, decimal> { ["commitment"] = 0, ["disbursement"] = 0, ["expenditure"] = 0 };
            foreach (var row in rows)
            {
                sums[row.Type] += UsdConversion.ToUsd(row.Amount, rates.Rate(row.Currency, row.ValueDate).UnitsPerUsd);
            }

            return new UsdTotals(sums["commitment"], sums["disbursement"], sums["expenditure"]);
        }

        public UsdTotals Plus(UsdTotals other) => new(Commitment + other.Commitment, Disbursement + other.Disbursement, Expenditure + other.Expenditure);

        public UsdTotals Minus(UsdTotals other) => new(Commitment - other.Commitment, Disbursement - other.Disbursement, Expenditure - other.Expenditure);

        public override string ToString() => $"commitment {Commitment:0.00}, disbursement {Disbursement:0.00}, expenditure {Expenditure:0.00} USD";
    }
}
