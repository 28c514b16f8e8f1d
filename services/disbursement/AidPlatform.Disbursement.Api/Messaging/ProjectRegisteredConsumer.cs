using AidPlatform.Contracts.Registry;
using AidPlatform.Disbursement.Api.Clients;
using AidPlatform.Disbursement.Api.Domain;
using AidPlatform.ServiceDefaults.Messaging;
using MassTransit;

namespace AidPlatform.Disbursement.Api.Consumers;

/// <summary>Keeps the local copy of the project; an older version arriving late changes nothing.</summary>
public sealed class ProjectRegisteredConsumer(Inbox inbox) : IConsumer<ProjectRegistered>
{
    public async Task Consume(ConsumeContext<ProjectRegistered> context)
    {
        var e = context.Message;
        await inbox.Once(context, nameof(ProjectRegisteredConsumer), transaction => ProjectCopy.Upsert(transaction.Connection!, transaction,
            new RegistryClient.ProjectInfo(e.ProjectId, e.NgoId, e.Status, e.StartDate, e.EndDate, e.Version)));
    }
}
