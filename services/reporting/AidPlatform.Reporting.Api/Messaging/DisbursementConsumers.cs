using AidPlatform.Contracts.Disbursement;
using AidPlatform.Reporting.Api.Data;
using AidPlatform.Reporting.Api.Domain;
using AidPlatform.ServiceDefaults.Messaging;
using Npgsql;

namespace AidPlatform.Reporting.Api.Messaging;

// The ledger's events, each mapped once to a projection store call.

/// <summary>Projects a ledger row into the transactions and their cells.</summary>
public sealed class DisbursementRecordedConsumer(Inbox inbox) : ProjectionConsumer<DisbursementRecorded>(inbox)
{
    protected override Task Project(NpgsqlTransaction transaction, DisbursementRecorded e) =>
        ProjectionStore.RecordTransaction(transaction, new TransactionRow(
            e.DisbursementId, e.ProjectId, e.NgoId, e.Type, e.AmountUsd, e.ValueDate, e.CurrentProvinceCode, null, e.OccurredAt));

    protected override DateTimeOffset OccurredAt(DisbursementRecorded e) => e.OccurredAt;
}

/// <summary>Projects a reversal: a negative row whose cells cancel the original's.</summary>
public sealed class DisbursementReversedConsumer(Inbox inbox) : ProjectionConsumer<DisbursementReversed>(inbox)
{
    protected override Task Project(NpgsqlTransaction transaction, DisbursementReversed e) =>
        ProjectionStore.RecordTransaction(transaction, new TransactionRow(
            e.DisbursementId, e.ProjectId, e.NgoId, e.Type, e.AmountUsd, e.ValueDate, e.CurrentProvinceCode, e.ReversedDisbursementId, e.OccurredAt));

    protected override DateTimeOffset OccurredAt(DisbursementReversed e) => e.OccurredAt;
}
