using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AidPlatform.Contracts.Disbursement;
using AidPlatform.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using RabbitMQ.Client;

namespace AidPlatform.Reporting.Tests;

/// <summary>
/// Malformed messages put straight on a consumer's queue, as a faulty publisher would: each ends in the
/// queue's <c>_error</c> queue after the retries, and the consumer goes on with the good ones.
/// </summary>
public sealed class Poison_messages : ServiceSpecs<Program>
{
    private const string Queue = "reporting-disbursement-recorded";

    private IConnection connection = null!;
    private IChannel channel = null!;

    protected override async Task<ServiceFactory<Program>> StartService() => new ReportingFactory(Own(await FakeDisbursement.Start()));

    [OneTimeSetUp]
    public async Task Open_a_channel()
    {
        connection = Own(await TestEnvironment.Rabbit().CreateConnectionAsync());
        channel = Own(await connection.CreateChannelAsync());
    }

    [Test]
    public async Task Malformed_messages_end_in_the_error_queue_and_the_consumer_goes_on()
    {
        var errorsBefore = await Count($"{Queue}_error");
        var ngo = Guid.NewGuid();
        var good = new DisbursementRecorded
        {
            EventId = Guid.NewGuid(), OccurredAt = DateTimeOffset.UtcNow, DisbursementId = Guid.NewGuid(), NgoId = ngo, ProjectId = Guid.NewGuid(),
            Type = "disbursement", Amount = 77.77m, Currency = "USD", AmountUsd = 77.77m, FxRate = 1m, FxRateMonth = "2024-03",
            ValueDate = new DateOnly(2024, 3, 10), Reference = Guid.NewGuid().ToString(),
        };

        // Not JSON at all; a MassTransit envelope whose amount is not a number; one whose message lacks every field.
        await PublishRaw("{ this is not json"u8.ToArray());
        await PublishRaw(Envelope("""{ "eventId": "5d2b7c1e-0000-4000-8000-000000000001", "ngoId": "not-a-guid", "amountUsd": "lots" }"""));
        await PublishRaw(Envelope("{}"));
        // Well-formed, but more than the read model's numeric(18, 2) holds: the consumer fails each time.
        var bus = Factory.Services.GetRequiredService<IBus>();
        await bus.Publish(good with { EventId = Guid.NewGuid(), DisbursementId = Guid.NewGuid(), NgoId = Guid.NewGuid(), Amount = 1e17m, AmountUsd = 1e17m });
        await bus.Publish(good);

        await Eventually.True(async () =>
        {
            var summary = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/reports/summary?ngoId={ngo}");
            return summary.GetProperty("disbursedUsd").GetDecimal() == 77.77m;
        }, "the good message after the poison ones to be projected");
        await Eventually.True(async () => await Count($"{Queue}_error") == errorsBefore + 4, "four messages in the error queue", TimeSpan.FromSeconds(60));
        var faults = new List<(string Exception, TimeSpan? Retried)>();
        for (var i = 0; i < errorsBefore + 4; i++)
        {
            var got = await channel.BasicGetAsync($"{Queue}_error", autoAck: false);
            var headers = got!.BasicProperties.Headers!;
            faults.Add((Text(headers["MT-Fault-ExceptionType"]), RetriedFor(got.Body, Text(headers["MT-Fault-Timestamp"]))));
        }

        var (waiting, consumers) = await Depth(Queue);
        Assert.That(waiting, Is.Zero, "nothing stuck in the queue");
        Assert.That(consumers, Is.GreaterThan(0), "the consumer is still there");
        // Undeserializable messages cannot improve with a retry and go at once; the one the consumer failed on
        // went only after the retries (five, 100 ms growing to seconds: well over one second in all).
        Assert.That(faults.Count(f => f.Exception.Contains("Json", StringComparison.Ordinal) || f.Exception == "System.FormatException"), Is.GreaterThanOrEqualTo(3));
        Assert.That(faults.Where(f => f.Exception == "Npgsql.PostgresException").Select(f => f.Retried), Has.Some.GreaterThan(TimeSpan.FromSeconds(1)), string.Join("\n", faults));
    }

    [Test]
    public async Task A_poison_message_in_a_batch_fails_alone_and_the_batchs_good_messages_go_in()
    {
        var errorsBefore = await Count($"{Queue}_error");
        var ngo = Guid.NewGuid();
        var good = Enumerable.Range(1, 300).Select(i => new DisbursementRecorded
        {
            EventId = Guid.NewGuid(), OccurredAt = DateTimeOffset.UtcNow, DisbursementId = Guid.NewGuid(), NgoId = ngo, ProjectId = Guid.NewGuid(),
            Type = "disbursement", Amount = i, Currency = "USD", AmountUsd = i / 100m, FxRate = 1m, FxRateMonth = "2024-03",
            ValueDate = new DateOnly(2024, 3, 10), Reference = Guid.NewGuid().ToString(),
        }).ToList();
        // More than numeric(18, 2) holds: the batch it lands in fails, and is projected again one message at a time.
        var poison = good[0] with { EventId = Guid.NewGuid(), DisbursementId = Guid.NewGuid(), Amount = 1e17m, AmountUsd = 1e17m };
        var bus = Factory.Services.GetRequiredService<IBus>();

        await Task.WhenAll(good.Take(150).Append(poison).Concat(good.Skip(150)).Select(e => bus.Publish(e)));

        await Eventually.True(async () =>
        {
            var summary = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/reports/summary?ngoId={ngo}");
            return summary.GetProperty("transactionCount").GetInt64() == good.Count;
        }, "the 300 good messages to be projected", TimeSpan.FromSeconds(60));
        await Eventually.True(async () => await Count($"{Queue}_error") == errorsBefore + 1, "the poison message alone in the error queue", TimeSpan.FromSeconds(60));
        var totals = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/reports/summary?ngoId={ngo}");
        Assert.That(totals.GetProperty("disbursedUsd").GetDecimal(), Is.EqualTo(good.Sum(e => e.AmountUsd)));
        var (waiting, _) = await Depth(Queue);
        Assert.That(waiting, Is.Zero, "nothing stuck in the queue");
    }

    /// <summary>From the envelope's sentTime to the fault: how long the consumer kept trying.</summary>
    private static TimeSpan? RetriedFor(ReadOnlyMemory<byte> body, string faultedAt)
    {
        try
        {
            var sent = JsonDocument.Parse(body).RootElement.GetProperty("sentTime").GetDateTimeOffset();
            return DateTimeOffset.Parse(faultedAt, System.Globalization.CultureInfo.InvariantCulture) - sent;
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private static string Text(object? header) => header is byte[] bytes ? Encoding.UTF8.GetString(bytes) : header?.ToString() ?? "";

    private async Task PublishRaw(byte[] body)
    {
        var properties = new BasicProperties { ContentType = "application/vnd.masstransit+json", Persistent = true, MessageId = Guid.NewGuid().ToString() };
        await channel.BasicPublishAsync(exchange: "", routingKey: Queue, mandatory: true, basicProperties: properties, body: body);
    }

    private static byte[] Envelope(string message) => Encoding.UTF8.GetBytes($$"""
        {
          "messageId": "{{Guid.NewGuid()}}",
          "messageType": [ "urn:message:AidPlatform.Contracts.Disbursement:DisbursementRecorded" ],
          "message": {{message}}
        }
        """);

    private async Task<long> Count(string queue) => (await Depth(queue)).Waiting;

    private async Task<(long Waiting, long Consumers)> Depth(string queue)
    {
        // MassTransit creates the error queue with the first fault; a passive declare of a missing queue
        // closes its channel, hence one of its own.
        await using var probe = await connection.CreateChannelAsync();
        try
        {
            var ok = await probe.QueueDeclarePassiveAsync(queue);
            return (ok.MessageCount, ok.ConsumerCount);
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
        {
            return (0, 0);
        }
    }
}
