using AidPlatform.Contracts.Registry;
using AidPlatform.Disbursement.Api.Data;
using AidPlatform.Disbursement.Api.Domain;
using AidPlatform.ServiceDefaults.Messaging;
using MassTransit;

namespace AidPlatform.Disbursement.Api.Messaging;

// The registry's project and certificate events, kept as the ledger's copy of them (class names make the queue
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
    public static ProjectInfo Of(ProjectRegistered e) =>
        new(e.ProjectId, e.NgoId, e.Status, e.StartDate, e.EndDate, e.Version, e.ApprovalState, Provinces(e.Locations));

    public static ProjectInfo Of(ProjectUpdated e) =>
        new(e.ProjectId, e.NgoId, e.Status, e.StartDate, e.EndDate, e.Version, e.ApprovalState, Provinces(e.Locations));

    private static string[] Provinces(IEnumerable<ProjectLocation> locations) => locations.Select(l => l.CurrentProvinceCode).Distinct().ToArray();

    public static Task Keep(Inbox inbox, ConsumeContext context, string consumer, ProjectInfo project) =>
        inbox.Once(context, consumer, transaction => ProjectCopy.Keep(transaction, project));
}

/// <summary>Keeps the local copy of a newly recorded certificate (version 1, never interrupted).</summary>
public sealed class RegistrationRecordedConsumer(Inbox inbox) : IConsumer<RegistrationRecorded>
{
    public Task Consume(ConsumeContext<RegistrationRecorded> context)
    {
        var e = context.Message;
        return CertificateSnapshot.Keep(inbox, context, nameof(RegistrationRecordedConsumer),
            new CertificateInfo(e.RegistrationId, e.NgoId, e.Version, e.IssuedOn, e.ExpiresOn, "valid", [.. e.ProvinceCodes], []));
    }
}

/// <summary>Keeps the local copy of an amended, extended, suspended, reinstated or revoked certificate (its full state).</summary>
public sealed class RegistrationChangedConsumer(Inbox inbox) : IConsumer<RegistrationChanged>
{
    public Task Consume(ConsumeContext<RegistrationChanged> context)
    {
        var e = context.Message;
        return CertificateSnapshot.Keep(inbox, context, nameof(RegistrationChangedConsumer),
            new CertificateInfo(e.RegistrationId, e.NgoId, e.Version, e.IssuedOn, e.ExpiresOn, e.Status, [.. e.ProvinceCodes],
                [.. e.Interruptions.Select(i => new CertificateGap(i.Kind, i.From, i.Until))]));
    }
}

/// <summary>A certificate event's state, kept once per message (the inbox) and only when newer than the one held.</summary>
file static class CertificateSnapshot
{
    public static Task Keep(Inbox inbox, ConsumeContext context, string consumer, CertificateInfo certificate) =>
        inbox.Once(context, consumer, transaction => CertificateCopy.Keep(transaction, certificate));
}
