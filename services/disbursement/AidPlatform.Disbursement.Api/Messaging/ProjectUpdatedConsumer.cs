using AidPlatform.Contracts.Registry;
using AidPlatform.Disbursement.Api.Clients;
using AidPlatform.Disbursement.Api.Domain;
using AidPlatform.ServiceDefaults.Messaging;
using MassTransit;

namespace AidPlatform.Disbursement.Api.Consumers;

/// <summary>Keeps the local copy of the project; an older version arriving late changes nothing.</summary>
public sealed class ProjectUpdatedConsumer(Inbox inbox) : IConsumer<ProjectUpdated>
{
    public async Task Consume(ConsumeContext<ProjectUpdated> context)
    {
        var e = context.Message;
        await inbox.Once(context, nameof(ProjectUpdatedConsumer), transaction => ProjectCopy.Upsert(transaction.Connection!, transaction,
            new RegistryClient.ProjectInfo(e.ProjectId, e.NgoId, e.Status, e.StartDate, e.EndDate, e.Version)));
    }
}
