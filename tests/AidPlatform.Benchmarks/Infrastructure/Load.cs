using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using AidPlatform.Testing;

namespace AidPlatform.Benchmarks.Infrastructure;

/// <summary>What closed-loop runs measured: completed requests per second and their latencies.</summary>
internal sealed record LoadResult(double Seconds, List<double> Latencies, int Failed)
{
    public double RequestsPerSecond => Latencies.Count / Seconds;

    public double P50Ms => Stats.Percentile(Latencies, 50);

    public double P99Ms => Stats.Percentile(Latencies, 99);

    /// <summary>Rounds of the same target added up, for alternating a service and its baseline on a shared machine.</summary>
    public static LoadResult Sum(IEnumerable<LoadResult> rounds)
    {
        var all = rounds.ToList();
        return new LoadResult(all.Sum(r => r.Seconds), all.SelectMany(r => r.Latencies).ToList(), all.Sum(r => r.Failed));
    }
}

/// <summary>
/// A closed-loop HTTP load: a fixed number of workers each sending the next request as soon as the last
/// one answered, for a fixed time. The same generator drives the service and its baseline.
/// </summary>
internal static class Load
{
    public static HttpClient Client(Uri baseAddress, int connections) =>
        new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        }.As("ministry");

    /// <summary>POSTs one JSON ledger row per request to <paramref name="path"/>; only <paramref name="expected"/> counts as done.</summary>
    public static async Task<LoadResult> PostRows(HttpClient client, string path, LedgerData data, int concurrency, TimeSpan warmUp, TimeSpan duration,
        HttpStatusCode expected = HttpStatusCode.Created)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(data);
        var latencies = new List<double>[concurrency];
        var failed = 0;
        string? firstFailure = null;
        var start = Stopwatch.GetTimestamp();
        var warmUpEnds = start + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
        var stopAt = warmUpEnds + (long)(duration.TotalSeconds * Stopwatch.Frequency);

        var workers = Enumerable.Range(0, concurrency).Select(w => Task.Run(async () =>
        {
            var mine = latencies[w] = new List<double>(100_000);
            while (true)
            {
                LedgerInput row;
                lock (data)
                {
                    row = data.Next();
                }

                var sent = Stopwatch.GetTimestamp();
                if (sent >= stopAt)
                {
                    return;
                }

                using var response = await client.PostAsJsonAsync(path, LedgerData.Json(row));
                await response.Content.LoadIntoBufferAsync();
                var done = Stopwatch.GetTimestamp();
                if (response.StatusCode != expected)
                {
                    if (Interlocked.Increment(ref failed) == 1)
                    {
                        firstFailure = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                    }

                    continue;
                }

                if (sent >= warmUpEnds && done <= stopAt)
                {
                    mine.Add(Stats.Milliseconds(sent, done));
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        if (firstFailure is not null)
        {
            Stats.Progress($"{failed} requests to {client.BaseAddress}{path} failed; the first: {firstFailure}");
        }

        return new LoadResult(duration.TotalSeconds, latencies.SelectMany(l => l).ToList(), failed);
    }

    public static MediaTypeHeaderValue Csv { get; } = new("text/csv");
}
