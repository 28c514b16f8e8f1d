using AidPlatform.Contracts.Registry;
using AidPlatform.Reporting.Api.Data;
using AidPlatform.ServiceDefaults.Messaging;
using MassTransit;

namespace AidPlatform.Reporting.Api.Messaging;

/// <summary>Keeps the NGO's name and country for labels and the country breakdown.</summary>
public sealed class NgoRegisteredConsumer(Inbox inbox) : IConsumer<NgoRegistered>
{
    public async Task Consume(ConsumeContext<NgoRegistered> context)
    {
        var e = context.Message;
        await inbox.Once(context, nameof(NgoRegisteredConsumer), async transaction =>
        {
            await ProjectionStore.UpsertNgo(transaction, e.NgoId, e.Version, e.Name, e.CountryOfOrigin);
            await Freshness.Record(transaction, context.MessageId!.Value, nameof(NgoRegistered), e.OccurredAt);
        });
    }
}
