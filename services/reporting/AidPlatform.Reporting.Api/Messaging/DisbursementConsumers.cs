using AidPlatform.Contracts.Disbursement;
using AidPlatform.Reporting.Api.Data;
using AidPlatform.Reporting.Api.Domain;
using AidPlatform.ServiceDefaults.Messaging;
using MassTransit;
using Npgsql;

namespace AidPlatform.Reporting.Api.Messaging;

// The ledger's events, each mapped once to a ledger row. Single rows are projected in batches (LedgerBatches);
// an import's parts are batches already.

/// <summary>Projects a ledger row into the transactions and their cells.</summary>
public sealed class DisbursementRecordedConsumer(LedgerBatches batches) : IConsumer<DisbursementRecorded>
{
    public Task Consume(ConsumeContext<DisbursementRecorded> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return batches.Project(context, nameof(DisbursementRecordedConsumer), LedgerRows.Of(context.Message));
    }
}

/// <summary>Projects a reversal: a negative row whose cells cancel the original's, held back until the original is in.</summary>
public sealed class DisbursementReversedConsumer(LedgerBatches batches) : IConsumer<DisbursementReversed>
{
    public Task Consume(ConsumeContext<DisbursementReversed> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return batches.Project(context, nameof(DisbursementReversedConsumer), LedgerRows.Of(context.Message));
    }
}

/// <summary>Projects one part of a CSV import, its rows in one transaction.</summary>
public sealed class DisbursementsImportedConsumer(Inbox inbox) : ProjectionConsumer<DisbursementsImported>(inbox)
{
    protected override async Task Project(NpgsqlTransaction transaction, DisbursementsImported e) =>
        await ProjectionStore.RecordTransactions(transaction, [.. e.Entries.Select(LedgerRows.Of)]);

    protected override DateTimeOffset OccurredAt(DisbursementsImported e) => e.OccurredAt;
}

/// <summary>The ledger's events as the rows the reports keep.</summary>
file static class LedgerRows
{
    public static TransactionRow Of(DisbursementRecorded e) =>
        new(e.DisbursementId, e.ProjectId, e.NgoId, e.Type, e.AmountUsd, e.ValueDate, e.CurrentProvinceCode, null, e.OccurredAt);

    public static TransactionRow Of(DisbursementReversed e) =>
        new(e.DisbursementId, e.ProjectId, e.NgoId, e.Type, e.AmountUsd, e.ValueDate, e.CurrentProvinceCode, e.ReversedDisbursementId, e.OccurredAt);
}
