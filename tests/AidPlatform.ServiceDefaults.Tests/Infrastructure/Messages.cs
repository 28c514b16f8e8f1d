using System.Collections.Concurrent;
using AidPlatform.ServiceDefaults.Messaging;
using Dapper;
using MassTransit;

namespace AidPlatform.ServiceDefaults.Tests.Infrastructure;

/// <summary>An event type used only by these specs; each test gives it its own run id to ignore other runs.</summary>
public sealed record WidgetCreated
{
    public required Guid RunId { get; init; }
    public required Guid WidgetId { get; init; }
    public required string Name { get; init; }
}

/// <summary>An event no consumer ever binds a queue for.</summary>
public sealed record NobodyListens
{
    public required Guid RunId { get; init; }
}

/// <summary>Records every delivery once handled, with whether the inbox let its effect run.</summary>
internal sealed class DeliveryLog
{
    public ConcurrentQueue<(Guid? MessageId, WidgetCreated Message, bool Applied)> Deliveries { get; } = new();

    public IReadOnlyList<(Guid? MessageId, WidgetCreated Message, bool Applied)> For(Guid runId) =>
        Deliveries.Where(d => d.Message.RunId == runId).ToList();
}

/// <summary>Applies a widget's effect through the inbox, after logging the delivery.</summary>
internal sealed class WidgetCreatedConsumer(DeliveryLog log, Inbox inbox) : IConsumer<WidgetCreated>
{
    public async Task Consume(ConsumeContext<WidgetCreated> context)
    {
        var applied = await inbox.Once(context, nameof(WidgetCreatedConsumer), transaction =>
            transaction.Connection!.ExecuteAsync("insert into effects (message_id) values (@MessageId)", new { context.MessageId }, transaction));
        log.Deliveries.Enqueue((context.MessageId, context.Message, applied));
    }
}
