using AidPlatform.ServiceDefaults.Tests.Infrastructure;
using AidPlatform.Testing;
using Dapper;
using MassTransit;

namespace AidPlatform.ServiceDefaults.Tests;

public sealed class Inbox_deduplication
{
    [Test]
    public async Task A_message_delivered_twice_has_one_effect()
    {
        await using var service = await TestService.Start(TestService.Options.WithWidgetConsumer());
        var log = service.Get<DeliveryLog>();
        var bus = service.Get<IBus>();
        var runId = Guid.NewGuid();
        var messageId = Guid.NewGuid();
        var message = new WidgetCreated { RunId = runId, WidgetId = Guid.NewGuid(), Name = "twice" };

        await bus.Publish(message, context => context.MessageId = messageId);
        await bus.Publish(message, context => context.MessageId = messageId);

        await Eventually.True(() => log.For(runId).Count == 2, "both deliveries to be handled");
        Assert.That(log.For(runId).Count(d => d.Applied), Is.EqualTo(1), "only one delivery ran its effect");
        await using var connection = await service.OpenSchemaConnection();
        Assert.That(await connection.ExecuteScalarAsync<long>("select count(*) from effects where message_id = @messageId", new { messageId }), Is.EqualTo(1));
    }

    [Test]
    public async Task Distinct_messages_each_have_their_effect()
    {
        await using var service = await TestService.Start(TestService.Options.WithWidgetConsumer());
        var log = service.Get<DeliveryLog>();
        var bus = service.Get<IBus>();
        var runId = Guid.NewGuid();

        for (var i = 0; i < 10; i++)
        {
            await bus.Publish(new WidgetCreated { RunId = runId, WidgetId = Guid.NewGuid(), Name = $"w{i}" });
        }

        await Eventually.True(() => log.For(runId).Count == 10, "ten deliveries to be handled");
        Assert.That(log.For(runId).All(d => d.Applied), Is.True);
    }
}
