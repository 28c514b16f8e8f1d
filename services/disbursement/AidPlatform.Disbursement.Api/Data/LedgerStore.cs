using AidPlatform.Contracts.Disbursement;
using AidPlatform.ServiceDefaults.Errors;
using AidPlatform.ServiceDefaults.Messaging;
using Dapper;
using Npgsql;

namespace AidPlatform.Disbursement.Api.Domain;

/// <summary>Writes ledger rows and, in the same transaction, one outbox event per row with the row's id as MessageId.</summary>
public static class LedgerWriter
{
    private const string Insert = """
        insert into disbursements (id, ngo_id, project_id, type, amount, currency, amount_usd, fx_rate, fx_rate_month, value_date,
                                   province_code, current_province_code, reference, description, reverses_id)
        select * from unnest(@Ids, @NgoIds, @ProjectIds, @Types, @Amounts, @Currencies, @AmountsUsd, @FxRates, @FxRateMonths, @ValueDates,
                             @ProvinceCodes, @CurrentProvinceCodes, @References, @Descriptions, @ReversesIds)
        """;

    public static async Task Record(NpgsqlTransaction transaction, IReadOnlyList<LedgerRow> rows)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(rows);
        await Unique(() => transaction.Connection!.ExecuteAsync(Insert, new
        {
            Ids = rows.Select(r => r.Id).ToArray(),
            NgoIds = rows.Select(r => r.NgoId).ToArray(),
            ProjectIds = rows.Select(r => r.ProjectId).ToArray(),
            Types = rows.Select(r => r.Type).ToArray(),
            Amounts = rows.Select(r => r.Amount).ToArray(),
            Currencies = rows.Select(r => r.Currency).ToArray(),
            AmountsUsd = rows.Select(r => r.AmountUsd).ToArray(),
            FxRates = rows.Select(r => r.FxRate).ToArray(),
            FxRateMonths = rows.Select(r => r.FxRateMonth).ToArray(),
            ValueDates = rows.Select(r => r.ValueDate).ToArray(),
            ProvinceCodes = rows.Select(r => r.ProvinceCode).ToArray(),
            CurrentProvinceCodes = rows.Select(r => r.CurrentProvinceCode).ToArray(),
            References = rows.Select(r => r.Reference).ToArray(),
            Descriptions = rows.Select(r => r.Description).ToArray(),
            ReversesIds = rows.Select(r => r.ReversesId).ToArray(),
        }, transaction));

        var now = DateTimeOffset.UtcNow;
        var recorded = rows.Where(r => r.ReversesId is null).Select(r => (r.Id, Recorded(r, now))).ToList();
        var reversed = rows.Where(r => r.ReversesId is not null).Select(r => (r.Id, Reversed(r, now))).ToList();
        await transaction.EnqueueMany(recorded);
        await transaction.EnqueueMany(reversed);
    }

    public static DisbursementRecorded Recorded(LedgerRow r, DateTimeOffset at) => new()
    {
        EventId = r.Id, OccurredAt = at, DisbursementId = r.Id, NgoId = r.NgoId, ProjectId = r.ProjectId, Type = r.Type,
        Amount = r.Amount, Currency = r.Currency, AmountUsd = r.AmountUsd, FxRate = r.FxRate, FxRateMonth = r.FxRateMonth.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture),
        ValueDate = r.ValueDate, ProvinceCode = r.ProvinceCode, CurrentProvinceCode = r.CurrentProvinceCode, Reference = r.Reference,
    };

    private static DisbursementReversed Reversed(LedgerRow r, DateTimeOffset at) => new()
    {
        EventId = r.Id, OccurredAt = at, DisbursementId = r.Id, ReversedDisbursementId = r.ReversesId!.Value, NgoId = r.NgoId, ProjectId = r.ProjectId,
        Type = r.Type, Amount = r.Amount, Currency = r.Currency, AmountUsd = r.AmountUsd, FxRate = r.FxRate,
        FxRateMonth = r.FxRateMonth.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), ValueDate = r.ValueDate,
        ProvinceCode = r.ProvinceCode, CurrentProvinceCode = r.CurrentProvinceCode, Reason = r.Description ?? "",
    };

    /// <summary>A unique violation, also under a race, is the 409 naming what clashed.</summary>
    private static async Task Unique(Func<Task<int>> write)
    {
        try
        {
            await write();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new ConflictException(e.ConstraintName switch
            {
                "disbursements_reverses_id_key" => "This disbursement is already reversed.",
                "disbursements_reference" => "This reference is already used by the NGO.",
                _ => "The request clashes with an existing ledger row.",
            });
        }
    }
}
