using AidPlatform.Contracts.Registry;
using AidPlatform.Reporting.Api.Data;
using AidPlatform.ServiceDefaults.Messaging;
using MassTransit;

namespace AidPlatform.Reporting.Api.Messaging;

/// <summary>Keeps the newest NGO state; an older one arriving late changes nothing.</summary>
public sealed class NgoUpdatedConsumer(Inbox inbox) : IConsumer<NgoUpdated>
{
    public async Task Consume(ConsumeContext<NgoUpdated> context)
    {
        var e = context.Message;
        await inbox.Once(context, nameof(NgoUpdatedConsumer), async transaction =>
        {
            await ProjectionStore.UpsertNgo(transaction, e.NgoId, e.Version, e.Name, e.CountryOfOrigin);
            await Freshness.Record(transaction, context.MessageId!.Value, nameof(NgoUpdated), e.OccurredAt);
        });
    }
}
