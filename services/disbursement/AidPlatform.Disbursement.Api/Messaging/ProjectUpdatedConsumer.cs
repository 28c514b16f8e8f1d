using AidPlatform.Contracts.Registry;
using AidPlatform.ServiceDefaults.Messaging;
using MassTransit;

namespace AidPlatform.Disbursement.Api.Messaging;

/// <summary>Keeps the local copy of a changed project.</summary>
public sealed class ProjectUpdatedConsumer(Inbox inbox) : IConsumer<ProjectUpdated>
{
    public Task Consume(ConsumeContext<ProjectUpdated> context) =>
        ProjectSnapshots.Keep(inbox, context, nameof(ProjectUpdatedConsumer), ProjectSnapshots.Of(context.Message));
}
