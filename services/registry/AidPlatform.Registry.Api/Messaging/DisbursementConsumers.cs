using AidPlatform.Contracts.Disbursement;
using AidPlatform.Registry.Api.Data;
using AidPlatform.ServiceDefaults.Messaging;
using MassTransit;

namespace AidPlatform.Registry.Api.Messaging;

// The ledger's events, as far as approval cares: a project's first disbursement starts its implementation and
// closes its revocation window. Class names make the queue names and inbox keys.

/// <summary>A disbursement recorded by a single POST or a batch.</summary>
public sealed class DisbursementRecordedConsumer(Inbox inbox, ApprovalStore approvals) : IConsumer<DisbursementRecorded>
{
    public Task Consume(ConsumeContext<DisbursementRecorded> context)
    {
        var e = context.Message;
        return e.Type == "disbursement"
            ? inbox.Once(context, nameof(DisbursementRecordedConsumer), transaction => approvals.Disbursed(transaction, [(e.ProjectId, e.ValueDate)]))
            : Task.CompletedTask;
    }
}

/// <summary>One part of an imported file's rows.</summary>
public sealed class DisbursementsImportedConsumer(Inbox inbox, ApprovalStore approvals) : IConsumer<DisbursementsImported>
{
    public Task Consume(ConsumeContext<DisbursementsImported> context) =>
        inbox.Once(context, nameof(DisbursementsImportedConsumer), transaction => approvals.Disbursed(transaction,
            context.Message.Entries.Where(e => e.Type == "disbursement").Select(e => (e.ProjectId, e.ValueDate))));
}
