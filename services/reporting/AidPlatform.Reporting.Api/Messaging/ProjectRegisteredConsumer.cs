using AidPlatform.Contracts.Registry;
using AidPlatform.Reporting.Api.Data;
using AidPlatform.ServiceDefaults.Messaging;
using MassTransit;

namespace AidPlatform.Reporting.Api.Messaging;

/// <summary>Stores the project and allocates any of its transactions that arrived before it.</summary>
public sealed class ProjectRegisteredConsumer(Inbox inbox) : IConsumer<ProjectRegistered>
{
    public async Task Consume(ConsumeContext<ProjectRegistered> context)
    {
        var e = context.Message;
        await inbox.Once(context, nameof(ProjectRegisteredConsumer), async transaction =>
        {
            await ProjectionStore.UpsertProject(transaction, e.ProjectId, e.Version, e.NgoId, e.Title, e.Status,
                e.StartDate, e.EndDate, e.BudgetAmount, e.BudgetCurrency, e.Sectors, e.Locations);
            await Freshness.Record(transaction, context.MessageId!.Value, nameof(ProjectRegistered), e.OccurredAt);
        });
    }
}
