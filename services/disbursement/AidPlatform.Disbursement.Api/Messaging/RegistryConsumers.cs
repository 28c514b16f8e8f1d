using AidPlatform.Contracts.Registry;
using AidPlatform.Disbursement.Api.Data;
using AidPlatform.Disbursement.Api.Domain;
using AidPlatform.ServiceDefaults.Messaging;
using MassTransit;

namespace AidPlatform.Disbursement.Api.Messaging;

// The registry's project events, both kept as the ledger's copy of the project (class names make the queue
// names and inbox keys: they stay).

/// <summary>Keeps the local copy of a newly registered project.</summary>
public sealed class ProjectRegisteredConsumer(Inbox inbox) : IConsumer<ProjectRegistered>
{
    public Task Consume(ConsumeContext<ProjectRegistered> context) =>
        ProjectSnapshot.Keep(inbox, context, nameof(ProjectRegisteredConsumer), ProjectSnapshot.Of(context.Message));
}

/// <summary>Keeps the local copy of a changed project.</summary>
public sealed class ProjectUpdatedConsumer(Inbox inbox) : IConsumer<ProjectUpdated>
{
    public Task Consume(ConsumeContext<ProjectUpdated> context) =>
        ProjectSnapshot.Keep(inbox, context, nameof(ProjectUpdatedConsumer), ProjectSnapshot.Of(context.Message));
}

/// <summary>
/// What the ledger keeps of a project event. Both events carry the project's full state (the two contract
/// records share no type, hence one line each); the snapshot is kept once per message (the inbox), and only
/// when newer than the one held, so an older version arriving late changes nothing.
/// </summary>
file static class ProjectSnapshot
{
    public static ProjectInfo Of(ProjectRegistered e) => new(e.ProjectId, e.NgoId, e.Status, e.StartDate, e.EndDate, e.Version);

    public static ProjectInfo Of(ProjectUpdated e) => new(e.ProjectId, e.NgoId, e.Status, e.StartDate, e.EndDate, e.Version);

    public static Task Keep(Inbox inbox, ConsumeContext context, string consumer, ProjectInfo project) =>
        inbox.Once(context, consumer, transaction => ProjectCopy.Keep(transaction, project));
}
