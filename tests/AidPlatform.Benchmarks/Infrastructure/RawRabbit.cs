using System.Buffers.Binary;
using System.Diagnostics;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace AidPlatform.Benchmarks.Infrastructure;

/// <summary>
/// Baselines on the broker alone, through RabbitMQ.Client with no MassTransit and no database: what the
/// broker and the client library allow on this machine, on a queue of the benchmark's own.
/// </summary>
internal static class RawRabbit
{
    /// <summary>
    /// Fills a durable queue with <paramref name="count"/> persistent copies of <paramref name="body"/>, then
    /// times a consumer (prefetch as the services use) that only acknowledges each one. Messages per second.
    /// </summary>
    public static async Task<double> AckRate(ReadOnlyMemory<byte> body, int count, ushort prefetch)
    {
        const string queue = "bench-raw-ack";
        await using var connection = await BenchEnvironment.Rabbit().CreateConnectionAsync();
        await using (var publisher = await connection.CreateChannelAsync())
        {
            await publisher.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
            await publisher.QueuePurgeAsync(queue);
            var properties = new BasicProperties { Persistent = true, ContentType = "application/vnd.masstransit+json" };
            for (var i = 0; i < count; i++)
            {
                await publisher.BasicPublishAsync("", queue, false, properties, body);
            }

            await Testing.Eventually.True(async () => (await publisher.QueueDeclarePassiveAsync(queue)).MessageCount >= count,
                "the raw queue to hold every message", TimeSpan.FromMinutes(5));
        }

        await using var channel = await connection.CreateChannelAsync();
        await channel.BasicQosAsync(0, prefetch, false);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        long first = 0;
        long last = 0;
        var received = 0;
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            if (received == 0)
            {
                first = Stopwatch.GetTimestamp();
            }

            await channel.BasicAckAsync(delivery.DeliveryTag, false);
            if (++received == count)
            {
                last = Stopwatch.GetTimestamp();
                done.TrySetResult();
            }
        };
        var tag = await channel.BasicConsumeAsync(queue, false, consumer);
        await done.Task.WaitAsync(TimeSpan.FromMinutes(5));
        await channel.BasicCancelAsync(tag);
        await channel.QueueDeleteAsync(queue);
        return (count - 1) / Stopwatch.GetElapsedTime(first, last).TotalSeconds;
    }

    /// <summary>
    /// Publishes persistent, confirmed messages of <paramref name="size"/> bytes at <paramref name="rate"/> per
    /// second for <paramref name="duration"/> and returns each one's latency from publish to delivery, in ms.
    /// </summary>
    public static async Task<List<double>> RoundTrips(int size, double rate, TimeSpan duration)
    {
        const string queue = "bench-raw-lag";
        await using var connection = await BenchEnvironment.Rabbit().CreateConnectionAsync();
        await using var publisher = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        await publisher.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        await publisher.QueuePurgeAsync(queue);

        await using var consumerConnection = await BenchEnvironment.Rabbit().CreateConnectionAsync();
        await using var channel = await consumerConnection.CreateChannelAsync();
        await channel.BasicQosAsync(0, 128, false);
        var latencies = new List<double>();
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += async (_, delivery) =>
        {
            var sent = BinaryPrimitives.ReadInt64LittleEndian(delivery.Body.Span);
            lock (latencies)
            {
                latencies.Add(Stats.Milliseconds(sent, Stopwatch.GetTimestamp()));
            }

            await channel.BasicAckAsync(delivery.DeliveryTag, false);
        };
        var tag = await channel.BasicConsumeAsync(queue, false, consumer);

        var properties = new BasicProperties { Persistent = true };
        var count = (int)(rate * duration.TotalSeconds);
        var start = Stopwatch.GetTimestamp();
        var inFlight = new List<Task>();
        for (var i = 0; i < count; i++)
        {
            var due = start + (long)(i / rate * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait);
            }

            var body = new byte[size];
            BinaryPrimitives.WriteInt64LittleEndian(body, Stopwatch.GetTimestamp());
            inFlight.Add(publisher.BasicPublishAsync("", queue, false, properties, body).AsTask());
        }

        await Task.WhenAll(inFlight);
        await Testing.Eventually.True(() => { lock (latencies) { return latencies.Count >= count; } }, "every raw message to arrive", TimeSpan.FromSeconds(30));
        await channel.BasicCancelAsync(tag);
        await channel.QueueDeleteAsync(queue);
        return latencies;
    }
}
