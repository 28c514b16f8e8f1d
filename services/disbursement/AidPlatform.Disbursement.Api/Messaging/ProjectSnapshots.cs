using AidPlatform.Contracts.Registry;
using AidPlatform.Disbursement.Api.Data;
using AidPlatform.Disbursement.Api.Domain;
using AidPlatform.ServiceDefaults.Messaging;
using MassTransit;

namespace AidPlatform.Disbursement.Api.Messaging;

/// <summary>
/// What the ledger keeps of the registry's project events: both carry the project's full state, so a
/// registration and an update make the same snapshot, kept once per message (the inbox) and only when
/// newer than the one held (an older version arriving late changes nothing).
/// </summary>
internal static class ProjectSnapshots
{
    public static ProjectInfo Of(ProjectRegistered e) => new(e.ProjectId, e.NgoId, e.Status, e.StartDate, e.EndDate, e.Version);

    public static ProjectInfo Of(ProjectUpdated e) => new(e.ProjectId, e.NgoId, e.Status, e.StartDate, e.EndDate, e.Version);

    public static Task Keep(Inbox inbox, ConsumeContext context, string consumer, ProjectInfo project) =>
        inbox.Once(context, consumer, transaction => ProjectCopy.Keep(transaction, project));
}
