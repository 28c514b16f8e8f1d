using System.Globalization;
using AidPlatform.Contracts.Disbursement;
using AidPlatform.Disbursement.Api.Domain;
using AidPlatform.ServiceDefaults.Messaging;
using Npgsql;

namespace AidPlatform.Disbursement.Api.Messaging;

/// <summary>
/// The one place the ledger's events are built from its rows, for a POST, a batch, a reversal and an import
/// alike: a row records <see cref="DisbursementRecorded"/>, a reversal row <see cref="DisbursementReversed"/>.
/// The event's id is the row's, so a redelivery is recognised downstream.
/// </summary>
public static class LedgerEvents
{
    public static DisbursementRecorded Recorded(LedgerRow row, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new()
        {
            EventId = row.Id, OccurredAt = at, DisbursementId = row.Id, NgoId = row.NgoId, ProjectId = row.ProjectId, Type = row.Type,
            Amount = row.Amount, Currency = row.Currency, AmountUsd = row.AmountUsd, FxRate = row.FxRate, FxRateMonth = Month(row.FxRateMonth),
            ValueDate = row.ValueDate, ProvinceCode = row.ProvinceCode, CurrentProvinceCode = row.CurrentProvinceCode, Reference = row.Reference,
        };
    }

    public static DisbursementReversed Reversed(LedgerRow row, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(row);
        return new()
        {
            EventId = row.Id, OccurredAt = at, DisbursementId = row.Id, ReversedDisbursementId = row.ReversesId!.Value, NgoId = row.NgoId, ProjectId = row.ProjectId,
            Type = row.Type, Amount = row.Amount, Currency = row.Currency, AmountUsd = row.AmountUsd, FxRate = row.FxRate, FxRateMonth = Month(row.FxRateMonth),
            ValueDate = row.ValueDate, ProvinceCode = row.ProvinceCode, CurrentProvinceCode = row.CurrentProvinceCode, Reason = row.Description ?? "",
        };
    }

    /// <summary>
    /// The frame of an import's parts: the import's id, time and number of parts. The import fills in each
    /// part's number, event id and entries (the rows' <see cref="Recorded"/> events) as it writes them.
    /// </summary>
    public static DisbursementsImported Imported(Guid importId, int parts, DateTimeOffset at) => new()
    {
        EventId = Guid.Empty, OccurredAt = at, ImportId = importId, Part = 0, Parts = parts, Entries = [],
    };

    /// <summary>Adds each row's event to the outbox, in the transaction that writes the rows.</summary>
    public static async Task Enqueue(NpgsqlTransaction transaction, IReadOnlyList<LedgerRow> rows)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(rows);
        var now = DateTimeOffset.UtcNow;
        await transaction.EnqueueMany(rows.Where(r => r.ReversesId is null).Select(r => (r.Id, Recorded(r, now))).ToList());
        await transaction.EnqueueMany(rows.Where(r => r.ReversesId is not null).Select(r => (r.Id, Reversed(r, now))).ToList());
    }

    /// <summary>The outbox row of <paramref name="row"/>'s event, for a batch that sends it after the row's guarded insert.</summary>
    public static NpgsqlBatchCommand OutboxCommand(LedgerRow row, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(row);
        return Outbox.EnqueueIfWritten(row.Id, row.ReversesId is null ? Recorded(row, at) : Reversed(row, at), "disbursements");
    }

    private static string Month(DateOnly month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}
