using AidPlatform.ServiceDefaults.Messaging;
using AidPlatform.ServiceDefaults.Tests.Infrastructure;
using AidPlatform.Testing;
using Dapper;

namespace AidPlatform.ServiceDefaults.Tests;

public sealed class Outbox_relay
{
    [Test]
    public async Task Publishes_a_committed_event_once_with_the_row_id_as_MessageId()
    {
        await using var service = await TestService.Start(TestService.Options.WithWidgetConsumer());
        var log = service.Get<DeliveryLog>();
        var runId = Guid.NewGuid();
        var messageId = Guid.NewGuid();

        await Commit(service, (messageId, Widget(runId)));

        await Eventually.True(() => log.For(runId).Count == 1, "the committed event to be delivered");
        Assert.That(log.For(runId).Single().MessageId, Is.EqualTo(messageId));
        // Confirmed rows are deleted: the outbox holds only what is still to send.
        await Eventually.True(async () => !await Held(service, messageId), "the row to be gone once the broker confirmed it");
    }

    [Test]
    public async Task Does_not_publish_an_event_whose_transaction_rolled_back()
    {
        await using var service = await TestService.Start(TestService.Options.WithWidgetConsumer());
        var log = service.Get<DeliveryLog>();
        var runId = Guid.NewGuid();
        var rolledBack = Guid.NewGuid();
        var committed = Guid.NewGuid();

        await using (var connection = await service.OpenSchemaConnection())
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await transaction.Enqueue(rolledBack, Widget(runId, "rolled back"));
            await transaction.RollbackAsync();
        }

        // The committed event comes after the rolled-back one: once it arrived, the other had its chance.
        await Commit(service, (committed, Widget(runId, "committed")));

        await Eventually.True(() => log.For(runId).Any(d => d.MessageId == committed), "the committed event to be delivered");
        Assert.That(log.For(runId).Select(d => d.MessageId), Is.EqualTo(new Guid?[] { committed }));
        await using var check = await service.OpenSchemaConnection();
        Assert.That(await check.ExecuteScalarAsync<long>("select count(*) from outbox_messages where id = @rolledBack", new { rolledBack }), Is.Zero);
    }

    [Test]
    public async Task Keeps_an_event_that_no_queue_is_bound_for()
    {
        await using var service = await TestService.Start(new TestService.Options());
        var messageId = Guid.NewGuid();

        await using (var connection = await service.OpenSchemaConnection())
        {
            await using var transaction = await connection.BeginTransactionAsync();
            await transaction.Enqueue(messageId, new NobodyListens { RunId = Guid.NewGuid() });
            await transaction.CommitAsync();
        }

        await Eventually.True(async () =>
        {
            await using var connection = await service.OpenSchemaConnection();
            // A row is deleted once the broker confirms it, so a row still there is unsent.
            var attempts = await connection.QuerySingleOrDefaultAsync<int?>(
                "select attempts from outbox_messages where id = @messageId", new { messageId });
            return attempts >= 2;
        }, "the broker to refuse the unroutable event twice while the row stays unsent");
    }

    [Test]
    public async Task Holds_events_while_the_broker_is_down_and_publishes_them_once_it_is_back()
    {
        var directory = Scratch.NewDirectory("rabbit");
        var port = TestEnvironment.FreePort();
        var distPort = TestEnvironment.FreePort();
        var node = $"{TestEnvironment.UniqueName("scratch")}@localhost";
        await Scratch.StartRabbit(directory, port, distPort, node);
        try
        {
            await using var service = await TestService.Start(TestService.Options.WithWidgetConsumer(port, "/"));
            var log = service.Get<DeliveryLog>();
            var runId = Guid.NewGuid();

            await Scratch.StopRabbit(node);
            var events = Enumerable.Range(0, 20).Select(i => (Guid.NewGuid(), Widget(runId, $"w{i}"))).ToArray();
            await Commit(service, events);

            await Eventually.True(async () =>
            {
                await using var connection = await service.OpenSchemaConnection();
                return await connection.ExecuteScalarAsync<long>(
                    "select count(*) from outbox_messages where attempts > 0 and id = any(@ids)",
                    new { ids = events.Select(e => e.Item1).ToArray() }) == events.Length;
            }, "the relay to try, fail and keep all 20 rows while the broker is down");
            Assert.That(log.For(runId), Is.Empty);

            await Scratch.StartRabbit(directory, port, distPort, node);

            await Eventually.True(() => log.For(runId).Count >= events.Length, "all 20 events to arrive after the broker is back", TimeSpan.FromSeconds(60));
            Assert.That(log.For(runId).Select(d => d.MessageId).Distinct().Count(), Is.EqualTo(events.Length));
            Assert.That(log.For(runId).Count(d => d.Applied), Is.EqualTo(events.Length), "each event has one effect");
        }
        finally
        {
            await Scratch.StopRabbit(node);
            Scratch.Delete(directory);
        }
    }

    private static WidgetCreated Widget(Guid runId, string name = "widget") => new() { RunId = runId, WidgetId = Guid.NewGuid(), Name = name };

    private static async Task Commit(TestService service, params (Guid MessageId, WidgetCreated Message)[] events)
    {
        await using var connection = await service.OpenSchemaConnection();
        await using var transaction = await connection.BeginTransactionAsync();
        foreach (var (messageId, message) in events)
        {
            await transaction.Enqueue(messageId, message);
        }

        await transaction.CommitAsync();
    }

    private static async Task<bool> Held(TestService service, Guid messageId)
    {
        await using var connection = await service.OpenSchemaConnection();
        return await connection.ExecuteScalarAsync<bool>("select exists (select 1 from outbox_messages where id = @messageId)", new { messageId });
    }
}
