using AidPlatform.Reporting.Api.Data;
using AidPlatform.ServiceDefaults.Messaging;
using MassTransit;
using Npgsql;

namespace AidPlatform.Reporting.Api.Messaging;

/// <summary>
/// What every projection consumer does around its own mapping: the effect runs once per message in the
/// inbox's transaction, under the consumer's class name (the inbox's key, as the queue name derives from it),
/// and the event is counted for <c>/reports/freshness</c> in the same transaction.
/// </summary>
public abstract class ProjectionConsumer<TEvent>(Inbox inbox) : IConsumer<TEvent>
    where TEvent : class
{
    public async Task Consume(ConsumeContext<TEvent> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var e = context.Message;
        await inbox.Once(context, GetType().Name, async transaction =>
        {
            await Project(transaction, e);
            await Freshness.Record(transaction, context.MessageId!.Value, typeof(TEvent).Name, OccurredAt(e));
        });
    }

    /// <summary>The one mapping of this event to the read models: a store call.</summary>
    protected abstract Task Project(NpgsqlTransaction transaction, TEvent e);

    /// <summary>When the event occurred at its producer, for the freshness lag.</summary>
    protected abstract DateTimeOffset OccurredAt(TEvent e);
}
