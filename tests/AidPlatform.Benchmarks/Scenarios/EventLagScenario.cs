using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AidPlatform.Benchmarks.Infrastructure;
using Dapper;

namespace AidPlatform.Benchmarks.Scenarios;

/// <summary>
/// Scenario 3: single POSTs at half the maximum sustained rate; for each, the time from its 201 (the
/// commit) until reporting has projected it (its row in reporting.processed_events, polled in a tight
/// loop). Targets: p50 at most 50 ms, p99 at most 500 ms. Baseline: a raw confirmed publish to a delivered
/// message on the same broker at the same rate. Also the services' peak RSS (scenario 6), and the outbox
/// table's size under the load: whether it grows with every event or stays put.
/// </summary>
internal sealed class EventLagScenario(BenchEnvironment environment, Figures figures)
{
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(20);

    public async Task Run()
    {
        var maxRate = environment.MaxPostRate ?? await SinglePostScenario.ServiceRate(environment);
        var rate = maxRate / 2;
        await BenchEnvironment.PurgeReportingQueue();
        var reporting = await environment.Start("reporting");
        var disbursement = await environment.Start("disbursement");
        var rest = (Reporting: Rss.CurrentMb(reporting.ProcessId), Disbursement: Rss.CurrentMb(disbursement.ProcessId));
        List<double> lags;
        double sentRate;
        RowCountSampler outbox;
        try
        {
            using var client = Load.Client(disbursement.BaseAddress, 64);
            var data = new LedgerData(environment.Projects, 7);
            await Measure(client, data, 10, TimeSpan.FromSeconds(2)); // JIT and pools, not counted
            Stats.Progress($"lag: posting at {rate:0.0}/s, half of {maxRate:0.0}/s, for {Duration.TotalSeconds:0} s");
            // All rows, sent or not: a sent row the relay keeps takes room as an unsent one does.
            outbox = await RowCountSampler.Start(() => environment.Scalar("select count(*) from disbursement.outbox_messages"), TimeSpan.FromSeconds(1));
            (lags, sentRate) = await Measure(client, data, rate, Duration);
            await outbox.Stop();
            figures.Add(new Figure("memory.lag.disbursement.peak_rss_mb", Rss.PeakMb(disbursement.ProcessId), "MB", rest.Disbursement, Rss.PeakMb(disbursement.ProcessId) / rest.Disbursement));
            figures.Add(new Figure("memory.lag.reporting.peak_rss_mb", Rss.PeakMb(reporting.ProcessId), "MB", rest.Reporting, Rss.PeakMb(reporting.ProcessId) / rest.Reporting));
        }
        finally
        {
            await environment.Stop(disbursement);
            await environment.Stop(reporting);
        }

        var raw = await RawRabbit.RoundTrips(1200, rate, TimeSpan.FromSeconds(10));
        figures.Throughput("lag.posts_per_s", sentRate, "req/s", maxRate);
        figures.Latency("lag.commit_to_visible.p50_ms", Stats.Percentile(lags, 50), "ms", Stats.Percentile(raw, 50), atMost: 50);
        figures.Latency("lag.commit_to_visible.p99_ms", Stats.Percentile(lags, 99), "ms", Stats.Percentile(raw, 99), atMost: 500);
        figures.Add(new Figure("lag.outbox_rows.max", outbox.Max, "rows", outbox.First, Figures.Divide(outbox.Max, outbox.First)));
        figures.Add(new Figure("lag.outbox_rows.end", outbox.Last, "rows", outbox.First, Figures.Divide(outbox.Last, outbox.First)));
    }

    /// <summary>Posts at a fixed rate (open loop) and returns each row's commit-to-visible lag in ms, and the rate achieved.</summary>
    private async Task<(List<double> Lags, double Rate)> Measure(HttpClient client, LedgerData data, double rate, TimeSpan duration)
    {
        var committed = new ConcurrentQueue<(Guid Id, long At)>();
        var lags = new List<double>();
        var failures = 0;
        var sending = true;
        var poller = Task.Run(async () =>
        {
            var pending = new Dictionary<Guid, long>();
            await using var connection = await environment.Admin.OpenConnectionAsync();
            while (Volatile.Read(ref sending) || !committed.IsEmpty || pending.Count > 0)
            {
                while (committed.TryDequeue(out var c))
                {
                    pending[c.Id] = c.At;
                }

                if (pending.Count > 0)
                {
                    var seen = await connection.QueryAsync<Guid>(
                        "select message_id from reporting.processed_events where message_id = any(@ids)", new { ids = pending.Keys.ToArray() });
                    var now = Stopwatch.GetTimestamp();
                    foreach (var id in seen)
                    {
                        lags.Add(Stats.Milliseconds(pending[id], now));
                        pending.Remove(id);
                    }
                }

                await Task.Delay(2);
            }
        });

        var count = (int)(rate * duration.TotalSeconds);
        var start = Stopwatch.GetTimestamp();
        var posts = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), start + (long)(i / rate * Stopwatch.Frequency));
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            var row = data.Next();
            posts.Add(Task.Run(async () =>
            {
                using var response = await client.PostAsJsonAsync("/api/v1/disbursements", LedgerData.Json(row));
                var at = Stopwatch.GetTimestamp();
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    Interlocked.Increment(ref failures);
                    return;
                }

                committed.Enqueue(((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid(), at));
            }));
        }

        await Task.WhenAll(posts);
        var sentRate = count / Stopwatch.GetElapsedTime(start).TotalSeconds;
        Volatile.Write(ref sending, false);
        await poller.WaitAsync(TimeSpan.FromMinutes(2));
        if (failures > 0)
        {
            Stats.Progress($"lag: {failures} posts failed");
        }

        return (lags, sentRate);
    }
}
