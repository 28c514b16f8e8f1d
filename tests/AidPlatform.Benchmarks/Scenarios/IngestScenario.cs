using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AidPlatform.Benchmarks.Infrastructure;
using AidPlatform.Testing;

namespace AidPlatform.Benchmarks.Scenarios;

/// <summary>
/// Scenario 1: a 1,000,000-row CSV import end to end (202 until succeeded) against a raw binary COPY of
/// the same rows into a twin of the ledger table (target ratio >= 0.6), with the import's RSS growth
/// (scenario 6, target at most 150 MB); and the batch endpoint's rows per second against single POSTs (>= 15x).
/// </summary>
internal sealed class IngestScenario(BenchEnvironment environment, Figures figures)
{
    public const int ImportRows = 1_000_000;
    private const int BatchSize = 10_000;
    private const int Batches = 10;

    public async Task Run()
    {
        var rows = new LedgerData(environment.Projects, 42).Take(ImportRows);
        var path = Path.Combine(Path.GetTempPath(), $"aidp-bench-{ImportRows}.csv");
        await LedgerData.WriteCsv(path, rows);
        Stats.Progress($"{ImportRows:N0} rows written to {path} ({new FileInfo(path).Length / 1e6:0} MB)");
        try
        {
            var copySeconds = await CopyBaseline(rows);
            Stats.Progress($"baseline COPY: {copySeconds:0.0} s");

            var disbursement = await environment.Start("disbursement");
            try
            {
                await Import(disbursement, path, copySeconds);
                await BatchAgainstSingle(disbursement);
                figures.Add(new Figure("memory.ingest.disbursement.peak_rss_mb", Rss.PeakMb(disbursement.ProcessId), "MB", restRss, Rss.PeakMb(disbursement.ProcessId) / restRss));
            }
            finally
            {
                await environment.Stop(disbursement);
            }
        }
        finally
        {
            File.Delete(path);
        }

        // The import's million events are the projection scenario's subject, not this one's: leave neither
        // them in the outbox nor what the relay already published in reporting's queue.
        await environment.DiscardLedgerEvents();
        await environment.Scalar("drop table if exists bench.import_copy");
    }

    private double restRss;

    /// <summary>What the hardware and Npgsql allow: the same rows, already in memory, in one binary COPY and commit.</summary>
    private async Task<double> CopyBaseline(LedgerInput[] rows)
    {
        await Rates.CreateLedgerTwin(environment.Admin, "import_copy");
        var rates = await Rates.Load(environment.Admin);
        var start = Stopwatch.GetTimestamp();
        await using var connection = await environment.Admin.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var copy = await connection.BeginBinaryImportAsync($"copy bench.import_copy ({Rates.CopyColumns}) from stdin (format binary)"))
        {
            foreach (var row in rows)
            {
                await rates.Write(copy, row);
            }

            await copy.CompleteAsync();
        }

        await transaction.CommitAsync();
        return Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private async Task Import(ServiceProcess disbursement, string path, double copySeconds)
    {
        using var client = Load.Client(disbursement.BaseAddress, 2);
        client.Timeout = TimeSpan.FromMinutes(10);
        restRss = Rss.CurrentMb(disbursement.ProcessId);
        await using var memory = new RssSampler(disbursement.ProcessId, TimeSpan.FromMilliseconds(50));
        var (seconds, uploaded, streamed) = await ImportFile(client, path, ImportRows);
        Stats.Progress($"import: {seconds:0.0} s (upload {uploaded:0.0} s, parse+validate+COPY to staging until {streamed ?? double.NaN:0.0} s, set-based write and commit {seconds - (streamed ?? double.NaN):0.0} s)");
        figures.Throughput("ingest.csv_import_1m.rows_per_s", ImportRows / seconds, "rows/s", ImportRows / copySeconds, atLeast: 0.6);
        var growth = memory.Peak - memory.Start;
        figures.Add(new Figure("memory.import_1m.rss_growth_mb", growth, "MB", memory.Start, memory.Peak / memory.Start, "value <= 150", growth <= 150));
    }

    /// <summary>Uploads a CSV file and waits until its import succeeded: seconds in all, to the 202, and to the last staged row.</summary>
    public static async Task<(double Seconds, double Uploaded, double? Streamed)> ImportFile(HttpClient client, string path, int rows)
    {
        ArgumentNullException.ThrowIfNull(client);
        var start = Stopwatch.GetTimestamp();
        Guid id;
        await using (var file = File.OpenRead(path))
        {
            using var content = new StreamContent(file, 1 << 16);
            content.Headers.ContentType = Load.Csv;
            using var accepted = await client.PostAsync("/api/v1/disbursements/imports", content);
            if (accepted.StatusCode != HttpStatusCode.Accepted)
            {
                throw new InvalidOperationException($"import answered {(int)accepted.StatusCode}: {await accepted.Content.ReadAsStringAsync()}");
            }

            id = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        }

        var uploaded = Stopwatch.GetElapsedTime(start).TotalSeconds;
        double? streamed = null;
        while (true)
        {
            var status = await client.GetFromJsonAsync<JsonElement>($"/api/v1/disbursements/imports/{id}");
            var state = status.GetProperty("status").GetString();
            if (state == "succeeded")
            {
                return (Stopwatch.GetElapsedTime(start).TotalSeconds, uploaded, streamed);
            }

            if (state == "failed")
            {
                throw new InvalidOperationException($"the import failed: {status}");
            }

            // rows_done moves every 20,000 rows while the file streams into staging; at the last one the
            // rest is the set-based part: duplicate check, ledger insert, outbox insert, commit.
            if (streamed is null && status.GetProperty("rowsDone").GetInt64() >= rows - rows % 20_000)
            {
                streamed = Stopwatch.GetElapsedTime(start).TotalSeconds;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Imports rows through the API into the ledger, for scenarios that need a large ledger; drops their events.</summary>
    public static async Task FillLedger(BenchEnvironment environment, int rows)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var path = Path.Combine(Path.GetTempPath(), $"aidp-bench-fill-{rows}.csv");
        await LedgerData.WriteCsv(path, new LedgerData(environment.Projects, 44).Take(rows));
        var disbursement = await environment.Start("disbursement");
        try
        {
            using var client = Load.Client(disbursement.BaseAddress, 2);
            client.Timeout = TimeSpan.FromMinutes(10);
            await ImportFile(client, path, rows);
        }
        finally
        {
            await environment.Stop(disbursement);
            File.Delete(path);
        }

        await environment.DiscardLedgerEvents();
    }

    private async Task BatchAgainstSingle(ServiceProcess disbursement)
    {
        var data = new LedgerData(environment.Projects, 43);
        using var client = Load.Client(disbursement.BaseAddress, 2);
        client.Timeout = TimeSpan.FromMinutes(2);
        var bodies = Enumerable.Range(0, Batches).Select(_ => data.Take(BatchSize).Select(LedgerData.Json).ToArray()).ToList();
        var start = Stopwatch.GetTimestamp();
        foreach (var body in bodies)
        {
            using var response = await client.PostAsJsonAsync("/api/v1/disbursements/batch", body);
            if (response.StatusCode != HttpStatusCode.Created)
            {
                throw new InvalidOperationException($"batch answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        }

        var batchRate = Batches * BatchSize / Stopwatch.GetElapsedTime(start).TotalSeconds;
        using var single = Load.Client(disbursement.BaseAddress, SinglePostScenario.Concurrency);
        var singles = await Load.PostRows(single, "/api/v1/disbursements", data, SinglePostScenario.Concurrency, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5));
        figures.Throughput("ingest.batch_vs_single_post.rows_per_s", batchRate, "rows/s", singles.RequestsPerSecond, atLeast: 15);
    }
}
