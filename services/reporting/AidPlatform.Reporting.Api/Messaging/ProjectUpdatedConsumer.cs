using AidPlatform.Contracts.Registry;
using AidPlatform.Reporting.Api.Data;
using AidPlatform.ServiceDefaults.Messaging;
using MassTransit;

namespace AidPlatform.Reporting.Api.Messaging;

/// <summary>Re-allocates the project's transactions when its sectors or locations change.</summary>
public sealed class ProjectUpdatedConsumer(Inbox inbox) : IConsumer<ProjectUpdated>
{
    public async Task Consume(ConsumeContext<ProjectUpdated> context)
    {
        var e = context.Message;
        await inbox.Once(context, nameof(ProjectUpdatedConsumer), async transaction =>
        {
            await ProjectionStore.UpsertProject(transaction, e.ProjectId, e.Version, e.NgoId, e.Title, e.Status,
                e.StartDate, e.EndDate, e.BudgetAmount, e.BudgetCurrency, e.Sectors, e.Locations);
            await Freshness.Record(transaction, context.MessageId!.Value, nameof(ProjectUpdated), e.OccurredAt);
        });
    }
}
