using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using AidPlatform.Benchmarks.Infrastructure;
using AidPlatform.Testing;
using Dapper;

namespace AidPlatform.Benchmarks.Scenarios;

/// <summary>
/// Scenario 4: a backlog of 200,000 DisbursementRecorded events waiting in reporting's queue (recorded
/// through the batch endpoint while reporting is stopped, published by the outbox relay), then reporting
/// started and timed until it has projected them all; against a raw RabbitMQ.Client consumer that only
/// acknowledges as many messages of the same size from a queue of its own. Target: ratio >= 0.25.
/// </summary>
internal sealed class ProjectionScenario(BenchEnvironment environment, Figures figures)
{
    private const int Events = 200_000;
    private const int BatchSize = 10_000;

    public async Task Run()
    {
        await BenchEnvironment.PurgeReportingQueue();
        var since = DateTime.UtcNow;
        await FillBacklog();
        var body = await SampleMessage();
        Stats.Progress($"projection: {Events:N0} events of {body.Length} bytes wait in {BenchEnvironment.ReportingLedgerQueue}");

        var start = Stopwatch.GetTimestamp();
        var reporting = await environment.Start("reporting");
        var rest = Rss.CurrentMb(reporting.ProcessId);
        try
        {
            await Eventually.True(async () => await Projected(since) >= Events, "reporting to project the backlog", TimeSpan.FromMinutes(10));
            var wall = Stopwatch.GetElapsedTime(start).TotalSeconds;
            await using var connection = await environment.Admin.OpenConnectionAsync();
            var (count, seconds) = await connection.QuerySingleAsync<(long, double)>("""
                select count(*), extract(epoch from max(processed_at) - min(processed_at))::float8
                from reporting.processed_events where event_type = 'DisbursementRecorded' and processed_at >= @since
                """, new { since });
            Stats.Progress($"projection: {count:N0} events projected in {seconds:0.0} s ({wall:0.0} s from the start of the process)");
            var raw = await RawRabbit.AckRate(body, Events, 128);
            figures.Throughput("projection.catch_up_200k.events_per_s", (count - 1) / seconds, "events/s", raw, atLeast: 0.25);
            figures.Add(new Figure("memory.projection.reporting.peak_rss_mb", Rss.PeakMb(reporting.ProcessId), "MB", rest, Rss.PeakMb(reporting.ProcessId) / rest));
        }
        finally
        {
            await environment.Stop(reporting);
        }
    }

    private async Task<long> Projected(DateTime since) =>
        await environment.Scalar("select count(*) from reporting.processed_events where event_type = 'DisbursementRecorded' and processed_at >= @since", new { since });

    /// <summary>Records the rows through the batch endpoint and waits until the relay has published every event.</summary>
    private async Task FillBacklog()
    {
        var disbursement = await environment.Start("disbursement");
        try
        {
            var data = new LedgerData(environment.Projects, 11);
            using var client = Load.Client(disbursement.BaseAddress, 2);
            client.Timeout = TimeSpan.FromMinutes(2);
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < Events / BatchSize; i++)
            {
                using var response = await client.PostAsJsonAsync("/api/v1/disbursements/batch", data.Take(BatchSize).Select(LedgerData.Json).ToArray());
                if (response.StatusCode != HttpStatusCode.Created)
                {
                    throw new InvalidOperationException($"batch answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
            }

            Stats.Progress($"projection: {Events:N0} rows recorded in {Stopwatch.GetElapsedTime(start).TotalSeconds:0.0} s");
            await Eventually.True(async () => await environment.Scalar("select count(*) from disbursement.outbox_messages") == 0,
                "the relay to publish the backlog", TimeSpan.FromMinutes(10));
            Stats.Progress($"projection: relay done after {Stopwatch.GetElapsedTime(start).TotalSeconds:0.0} s");
        }
        finally
        {
            await environment.Stop(disbursement);
        }
    }

    /// <summary>One message as it waits in the queue, left there, so that the baseline moves the same bytes.</summary>
    private static async Task<ReadOnlyMemory<byte>> SampleMessage()
    {
        await using var connection = await BenchEnvironment.Rabbit().CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        // Counted before the sample is taken: until its requeue lands, the queue reports one fewer.
        var depth = (await channel.QueueDeclarePassiveAsync(BenchEnvironment.ReportingLedgerQueue)).MessageCount;
        if (depth < Events)
        {
            throw new InvalidOperationException($"{BenchEnvironment.ReportingLedgerQueue} holds {depth} messages, fewer than {Events}.");
        }

        var message = await channel.BasicGetAsync(BenchEnvironment.ReportingLedgerQueue, false)
            ?? throw new InvalidOperationException($"{BenchEnvironment.ReportingLedgerQueue} is empty.");
        var body = message.Body.ToArray();
        await channel.BasicNackAsync(message.DeliveryTag, false, true);
        return body;
    }
}
