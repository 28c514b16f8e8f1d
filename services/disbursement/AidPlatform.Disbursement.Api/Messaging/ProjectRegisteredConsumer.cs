using AidPlatform.Contracts.Registry;
using AidPlatform.ServiceDefaults.Messaging;
using MassTransit;

namespace AidPlatform.Disbursement.Api.Messaging;

/// <summary>Keeps the local copy of a newly registered project.</summary>
public sealed class ProjectRegisteredConsumer(Inbox inbox) : IConsumer<ProjectRegistered>
{
    public Task Consume(ConsumeContext<ProjectRegistered> context) =>
        ProjectSnapshots.Keep(inbox, context, nameof(ProjectRegisteredConsumer), ProjectSnapshots.Of(context.Message));
}
