using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace AidPlatform.Chaos;

/// <summary>
/// Writes ledger rows as a careful partner system would: each row has a unique reference, each request an
/// Idempotency-Key, and a request that fails for a reason of the moment (5xx, 429, no connection) is sent
/// again with the same key until it is acknowledged. Every acknowledged row is recorded with its id.
/// </summary>
public sealed class LoadDriver(HttpClient disbursement, IReadOnlyList<Guid> projects, ChaosOptions options, string runId)
{
    private static readonly string[] Currencies = ["USD", "EUR", "JPY", "VND"];
    private static readonly string[] Types = ["commitment", "disbursement", "disbursement", "expenditure"];
    private readonly Stopwatch clock = new();
    private int nextSingle = -1;
    private int nextBatch = -1;
    private long attempts;
    private long outageAttempts;
    private long outageSuccesses;
    private bool inOutage;

    /// <summary>Acknowledged rows: reference → the id the 2xx answer gave.</summary>
    public ConcurrentDictionary<string, Guid> Acknowledged { get; } = new();

    /// <summary>Keys whose retry met a 409 (a batch: a 422 of duplicates only) because an earlier, unanswered attempt had written the rows.</summary>
    public ConcurrentBag<string> ConfirmedByConflict { get; } = [];

    /// <summary>Failed attempts by what they met: a status code or an exception type.</summary>
    public ConcurrentDictionary<string, long> Failures { get; } = new();

    /// <summary>Answers that no retry can fix (a 4xx other than 409 or 429): a bug, so the run fails.</summary>
    public ConcurrentBag<string> Rejected { get; } = [];

    public long SingleAcknowledged => Acknowledged.Keys.Count(k => k.Contains("-S", StringComparison.Ordinal));

    public long Attempts => Interlocked.Read(ref attempts);

    /// <summary>While set, attempts and 2xx answers are counted for the outage's success rate.</summary>
    public bool InOutage
    {
        get => Volatile.Read(ref inOutage);
        set => Volatile.Write(ref inOutage, value);
    }

    public (long Attempts, long Successes) OutageFigures => (Interlocked.Read(ref outageAttempts), Interlocked.Read(ref outageSuccesses));

    public int Progress => Math.Min(nextSingle + 1, options.SingleWrites) + (Math.Min((nextBatch + 1) * options.BatchSize, BatchRows));

    private int BatchRows => options.Writes - options.SingleWrites;

    public async Task Run(CancellationToken cancellationToken)
    {
        clock.Start();
        var workers = Enumerable.Range(0, options.SingleWorkers).Select(w => SingleWorker(w, cancellationToken))
            .Concat(Enumerable.Range(0, options.BatchWorkers).Select(_ => BatchWorker(cancellationToken)));
        await Task.WhenAll(workers);
    }

    private async Task SingleWorker(int worker, CancellationToken cancellationToken)
    {
        var random = new Random(worker);
        var rate = options.SingleWrites / options.PlannedDuration.TotalSeconds;
        for (var seq = Interlocked.Increment(ref nextSingle); seq < options.SingleWrites; seq = Interlocked.Increment(ref nextSingle))
        {
            await Pace(seq, rate, cancellationToken);
            var reference = $"{runId}-S{seq.ToString(CultureInfo.InvariantCulture)}";
            var row = Row(random, reference);
            var (status, body) = await Send("/api/v1/disbursements", row, reference, cancellationToken);
            if (status is HttpStatusCode.Created)
            {
                Acknowledged[reference] = body.GetProperty("id").GetGuid();
            }
        }
    }

    private async Task BatchWorker(CancellationToken cancellationToken)
    {
        var random = new Random(1000 + Environment.CurrentManagedThreadId);
        var batches = (BatchRows + options.BatchSize - 1) / options.BatchSize;
        var rate = batches / options.PlannedDuration.TotalSeconds;
        for (var batch = Interlocked.Increment(ref nextBatch); batch < batches; batch = Interlocked.Increment(ref nextBatch))
        {
            await Pace(batch, rate, cancellationToken);
            var first = batch * options.BatchSize;
            var references = Enumerable.Range(first, Math.Min(options.BatchSize, BatchRows - first))
                .Select(i => $"{runId}-B{i.ToString(CultureInfo.InvariantCulture)}").ToList();
            var (status, body) = await Send("/api/v1/disbursements/batch", references.Select(r => Row(random, r)).ToList(),
                $"{runId}-batch-{batch.ToString(CultureInfo.InvariantCulture)}", cancellationToken);
            if (status is HttpStatusCode.Created or HttpStatusCode.OK)
            {
                var ids = body.GetProperty("ids").EnumerateArray().Select(e => e.GetGuid()).ToList();
                for (var i = 0; i < references.Count; i++)
                {
                    Acknowledged[references[i]] = ids[i];
                }
            }
        }
    }

    /// <summary>Holds the n-th unit until its time, so that the load spreads over the faults.</summary>
    private async Task Pace(int n, double perSecond, CancellationToken cancellationToken)
    {
        var due = TimeSpan.FromSeconds(n / perSecond);
        if (due > clock.Elapsed)
        {
            await Task.Delay(due - clock.Elapsed, cancellationToken);
        }
    }

    private object Row(Random random, string reference)
    {
        var month = new DateOnly(2024, 3, 1).AddMonths(random.Next(20));
        var currency = Currencies[random.Next(Currencies.Length)];
        // JPY and VND have no minor unit.
        var cents = currency is "JPY" or "VND" ? 0m : random.Next(100) / 100m;
        return new
        {
            projectId = projects[random.Next(projects.Count)],
            type = Types[random.Next(Types.Length)],
            amount = random.Next(100, 5_000_000) + cents,
            currency,
            valueDate = month.AddDays(random.Next(28)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            reference,
        };
    }

    /// <summary>
    /// A batch's retry whose every fault is a reference already recorded: the unanswered attempt committed the whole
    /// batch (all or nothing), and a batch names its duplicates in one 422 where a single row answers 409 (API.md).
    /// </summary>
    private static bool AllAlreadyRecorded(HttpStatusCode status, string text)
    {
        if (status != HttpStatusCode.UnprocessableEntity)
        {
            return false;
        }

        var errors = JsonDocument.Parse(text).RootElement.TryGetProperty("errors", out var e) ? e.EnumerateObject().ToList() : [];
        return errors.Count > 0 && errors.All(f => f.Name.EndsWith(".reference", StringComparison.Ordinal)
            && f.Value.EnumerateArray().All(m => m.GetString()?.Contains("is already recorded", StringComparison.Ordinal) == true));
    }

    /// <summary>Sends until a final answer: 2xx, a 409 (or a batch's 422 of duplicates only) on rows an earlier attempt wrote, or a 4xx no retry fixes.</summary>
    private async Task<(HttpStatusCode? Status, JsonElement Body)> Send(string path, object body, string key, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(15);
        var delay = TimeSpan.FromMilliseconds(200);
        while (DateTime.UtcNow < deadline)
        {
            Interlocked.Increment(ref attempts);
            var counted = InOutage;
            if (counted)
            {
                Interlocked.Increment(ref outageAttempts);
            }

            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
                request.Headers.Add("Idempotency-Key", key);
                using var response = await disbursement.SendAsync(request, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    if (counted)
                    {
                        Interlocked.Increment(ref outageSuccesses);
                    }

                    return (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken));
                }

                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                Failures.AddOrUpdate(((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), 1, (_, n) => n + 1);
                if ((response.StatusCode == HttpStatusCode.Conflict && text.Contains("reference", StringComparison.OrdinalIgnoreCase)) || AllAlreadyRecorded(response.StatusCode, text))
                {
                    // The key was forgotten with an unanswered attempt whose row did commit: the ledger has it.
                    ConfirmedByConflict.Add(key);
                    return (response.StatusCode, default);
                }

                if ((int)response.StatusCode < 500 && response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.Conflict or HttpStatusCode.RequestTimeout))
                {
                    Rejected.Add($"{key}: {(int)response.StatusCode} {text}");
                    return (response.StatusCode, default);
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException && !cancellationToken.IsCancellationRequested)
            {
                Failures.AddOrUpdate(e.GetType().Name, 1, (_, n) => n + 1);
                // No answer: the service is restarting or the request timed out. The key makes the retry safe.
            }

            await Task.Delay(delay, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(2_000, delay.TotalMilliseconds * 2));
        }

        Rejected.Add($"{key}: no answer within 15 minutes");
        return (null, default);
    }
}
