using AidPlatform.Contracts.Disbursement;
using AidPlatform.Reporting.Api.Data;
using AidPlatform.ServiceDefaults.Messaging;
using MassTransit;

namespace AidPlatform.Reporting.Api.Messaging;

/// <summary>Projects a ledger row into the transactions and their cells.</summary>
public sealed class DisbursementRecordedConsumer(Inbox inbox) : IConsumer<DisbursementRecorded>
{
    public async Task Consume(ConsumeContext<DisbursementRecorded> context)
    {
        var e = context.Message;
        await inbox.Once(context, nameof(DisbursementRecordedConsumer), async transaction =>
        {
            await ProjectionStore.RecordTransaction(transaction, new ProjectionStore.TransactionRow(
                e.DisbursementId, e.ProjectId, e.NgoId, e.Type, e.AmountUsd, e.ValueDate, e.CurrentProvinceCode, null, e.OccurredAt));
            await Freshness.Record(transaction, context.MessageId!.Value, nameof(DisbursementRecorded), e.OccurredAt);
        });
    }
}
