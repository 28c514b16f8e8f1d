using AidPlatform.Contracts.Disbursement;
using AidPlatform.Reporting.Api.Data;
using AidPlatform.ServiceDefaults.Messaging;
using MassTransit;

namespace AidPlatform.Reporting.Api.Messaging;

/// <summary>Projects a reversal: a negative row whose cells cancel the original's.</summary>
public sealed class DisbursementReversedConsumer(Inbox inbox) : IConsumer<DisbursementReversed>
{
    public async Task Consume(ConsumeContext<DisbursementReversed> context)
    {
        var e = context.Message;
        await inbox.Once(context, nameof(DisbursementReversedConsumer), async transaction =>
        {
            await ProjectionStore.RecordTransaction(transaction, new ProjectionStore.TransactionRow(
                e.DisbursementId, e.ProjectId, e.NgoId, e.Type, e.AmountUsd, e.ValueDate, e.CurrentProvinceCode, e.ReversedDisbursementId, e.OccurredAt));
            await Freshness.Record(transaction, context.MessageId!.Value, nameof(DisbursementReversed), e.OccurredAt);
        });
    }
}
