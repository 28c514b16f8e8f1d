using AidPlatform.Disbursement.Api.Domain;
using AidPlatform.Disbursement.Api.Messaging;
using AidPlatform.ServiceDefaults.Data;
using AidPlatform.ServiceDefaults.Http;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace AidPlatform.Disbursement.Api.Data;

/// <summary>
/// The append-only ledger: rows are written with their events in one transaction (one outbox event per row,
/// the row's id as MessageId), and read, listed and totalled. Rows are never updated or deleted.
/// </summary>
public sealed class LedgerStore(NpgsqlDataSource dataSource)
{
    private const string Insert = """
        insert into disbursements (id, ngo_id, project_id, type, amount, currency, amount_usd, fx_rate, fx_rate_month, value_date,
                                   province_code, current_province_code, reference, description, reverses_id)
        select * from unnest(@Ids, @NgoIds, @ProjectIds, @Types, @Amounts, @Currencies, @AmountsUsd, @FxRates, @FxRateMonths, @ValueDates,
                             @ProvinceCodes, @CurrentProvinceCodes, @References, @Descriptions, @ReversesIds)
        """;

    /// <summary>
    /// One row, answered as stored (numeric columns rounded to their scale). A row just written is not reversed:
    /// no reversal can name it before it commits. With a stamp ($16, $17, $18) the row is written only if the rates'
    /// version, its project's and its NGO's certificates' are still those it was validated against.
    /// </summary>
    private const string InsertOne = $"""
        insert into disbursements (id, ngo_id, project_id, type, amount, currency, amount_usd, fx_rate, fx_rate_month, value_date,
                                   province_code, current_province_code, reference, description, reverses_id)
        select $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15
        where $16::bigint is null
           or ((select version from reference_version) = $16 and exists (select 1 from projects where id = $3 and version = $17)
               and {CertificateCopy.VersionSumSql} = $18)
        returning id, project_id, ngo_id, type, amount, currency, amount_usd, fx_rate, fx_rate_month, value_date,
                  province_code, current_province_code, reference, description, reverses_id, false as reversed, recorded_at
        """;

    private const string SelectEntry = """
        select d.id, d.project_id, d.ngo_id, d.type, d.amount, d.currency, d.amount_usd, d.fx_rate, d.fx_rate_month, d.value_date,
               d.province_code, d.current_province_code, d.reference, d.description, d.reverses_id,
               exists (select 1 from disbursements r where r.reverses_id = d.id) as reversed,
               d.recorded_at
        from disbursements d
        """;

    /// <summary>A unique violation, also under a race, is the 409 naming what clashed.</summary>
    private static readonly Dictionary<string, string> Clashes = new(StringComparer.Ordinal)
    {
        ["disbursements_reverses_id_key"] = "This disbursement is already reversed.",
        ["disbursements_reference"] = "This reference is already used by the NGO.",
    };

    /// <summary>Writes one row and its event in one round trip; the row as the ledger now holds it.</summary>
    public async Task<LedgerEntry> Record(LedgerRow row, CancellationToken cancellationToken) =>
        (await Write(row, null, cancellationToken))!;

    /// <summary>
    /// As <see cref="Record(LedgerRow, CancellationToken)"/> for a row validated against a remembered reference:
    /// null, and nothing written, when the rates or the project have changed since <paramref name="stamp"/>.
    /// </summary>
    public Task<LedgerEntry?> Record(LedgerRow row, ReferenceStamp stamp, CancellationToken cancellationToken) =>
        Write(row, stamp, cancellationToken);

    /// <summary>Writes the rows and their events, all or nothing.</summary>
    public async Task Record(IReadOnlyList<LedgerRow> rows, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Write(transaction, rows);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Those (NGO, reference) pairs of <paramref name="rows"/> the ledger already holds.</summary>
    public async Task<HashSet<(Guid NgoId, string Reference)>> HeldReferences(IReadOnlyCollection<LedgerRow> rows, CancellationToken cancellationToken)
    {
        const string sql = "select ngo_id, reference from disbursements where (ngo_id, reference) in (select * from unnest(@NgoIds, @References))";
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<(Guid NgoId, string Reference)>(sql,
            new { NgoIds = rows.Select(r => r.NgoId).ToArray(), References = rows.Select(r => r.Reference).ToArray() })).ToHashSet();
    }

    public async Task<LedgerEntry?> Find(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<StoredRow>($"{SelectEntry} where d.id = @id", new { id }))?.ToEntry();
    }

    /// <summary>One page of the rows <paramref name="filter"/> selects, newest value date first, and how many it selects in all.</summary>
    public async Task<(IReadOnlyList<LedgerEntry> Entries, long Total)> List(LedgerFilter filter, PageRequest paging, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        const string sql = $"""
            select x.*, count(*) over () as total from (
                {SelectEntry}
                where (@ProjectId::uuid is null or d.project_id = @ProjectId)
                  and (@NgoId::uuid is null or d.ngo_id = @NgoId)
                  and (@OwnNgo::uuid is null or d.ngo_id = @OwnNgo)
                  and (@Type::text is null or d.type = @Type)
                  and (@From::date is null or d.value_date >= @From)
                  and (@To::date is null or d.value_date <= @To)
            ) x
            order by x.value_date desc, x.id
            limit @Limit offset @Offset
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<StoredRow>(sql, new
        {
            filter.ProjectId, filter.NgoId, filter.OwnNgo, filter.Type, filter.From, filter.To, Limit = paging.PageSize, paging.Offset,
        })).AsList();
        return (rows.Select(r => r.ToEntry()).ToList(), rows.Count > 0 ? rows[0].Total : 0);
    }

    /// <summary>USD totals by type and the row count, reversals included: the figure reporting reconciles with.</summary>
    public async Task<(decimal Commitment, decimal Disbursement, decimal Expenditure, long Count)> Totals(LedgerFilter filter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        const string sql = """
            select coalesce(sum(amount_usd) filter (where type = 'commitment'), 0) as commitment,
                   coalesce(sum(amount_usd) filter (where type = 'disbursement'), 0) as disbursement,
                   coalesce(sum(amount_usd) filter (where type = 'expenditure'), 0) as expenditure,
                   count(*) as count
            from disbursements
            where (@From::date is null or value_date >= @From) and (@To::date is null or value_date <= @To)
              and (@OwnNgo::uuid is null or ngo_id = @OwnNgo)
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleAsync<(decimal, decimal, decimal, long)>(sql, new { filter.From, filter.To, filter.OwnNgo });
    }

    private static async Task Write(NpgsqlTransaction transaction, IReadOnlyList<LedgerRow> rows)
    {
        await UniqueViolations.AsConflict(() => transaction.Connection!.ExecuteAsync(Insert, new
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
        }, transaction), Clashes);
        await LedgerEvents.Enqueue(transaction, rows);
    }

    private async Task<LedgerEntry?> Write(LedgerRow row, ReferenceStamp? stamp, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // A batch outside an explicit transaction runs as one implicit transaction (one Sync): the event is
        // written with the row or, if either statement fails, neither is. No BEGIN and COMMIT round trips.
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { InsertCommand(row, stamp), LedgerEvents.OutboxCommand(row, DateTimeOffset.UtcNow) } };
        await using var reader = await UniqueViolations.AsConflict(() => batch.ExecuteReaderAsync(cancellationToken), Clashes);
        var entry = await reader.ReadAsync(cancellationToken) ? reader.GetRowParser<StoredRow>()(reader).ToEntry() : null;
        // On to the outbox insert's result: its failure, which rolls the row back too, surfaces here.
        await reader.NextResultAsync(cancellationToken);
        return entry;
    }

    private static NpgsqlBatchCommand InsertCommand(LedgerRow row, ReferenceStamp? stamp) => new(InsertOne)
    {
        Parameters =
        {
            new() { Value = row.Id, NpgsqlDbType = NpgsqlDbType.Uuid },
            new() { Value = row.NgoId, NpgsqlDbType = NpgsqlDbType.Uuid },
            new() { Value = row.ProjectId, NpgsqlDbType = NpgsqlDbType.Uuid },
            new() { Value = row.Type, NpgsqlDbType = NpgsqlDbType.Text },
            new() { Value = row.Amount, NpgsqlDbType = NpgsqlDbType.Numeric },
            new() { Value = row.Currency, NpgsqlDbType = NpgsqlDbType.Text },
            new() { Value = row.AmountUsd, NpgsqlDbType = NpgsqlDbType.Numeric },
            new() { Value = row.FxRate, NpgsqlDbType = NpgsqlDbType.Numeric },
            new() { Value = row.FxRateMonth, NpgsqlDbType = NpgsqlDbType.Date },
            new() { Value = row.ValueDate, NpgsqlDbType = NpgsqlDbType.Date },
            new() { Value = (object?)row.ProvinceCode ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
            new() { Value = (object?)row.CurrentProvinceCode ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
            new() { Value = row.Reference, NpgsqlDbType = NpgsqlDbType.Text },
            new() { Value = (object?)row.Description ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
            new() { Value = (object?)row.ReversesId ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Uuid },
            new() { Value = (object?)stamp?.Version ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint },
            new() { Value = (object?)stamp?.ProjectVersion ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer },
            new() { Value = (object?)stamp?.CertificatesVersion ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint },
        },
    };

    private sealed class StoredRow
    {
        public Guid Id { get; init; }
        public Guid ProjectId { get; init; }
        public Guid NgoId { get; init; }
        public string Type { get; init; } = "";
        public decimal Amount { get; init; }
        public string Currency { get; init; } = "";
        public decimal AmountUsd { get; init; }
        public decimal FxRate { get; init; }
        public DateOnly FxRateMonth { get; init; }
        public DateOnly ValueDate { get; init; }
        public string? ProvinceCode { get; init; }
        public string? CurrentProvinceCode { get; init; }
        public string Reference { get; init; } = "";
        public string? Description { get; init; }
        public Guid? ReversesId { get; init; }
        public bool Reversed { get; init; }
        public DateTime RecordedAt { get; init; }
        public long Total { get; init; }

        // Amounts are numeric(20,2): trailing zeros are dropped so that VND reads 1000000, not 1000000.00.
        public LedgerEntry ToEntry() => new(
            new LedgerRow(Id, NgoId, ProjectId, Type, Amount / 1.000000000000000000000000000000000m, Currency, AmountUsd,
                FxRate / 1.000000000000000000000000000000000m, FxRateMonth, ValueDate, ProvinceCode, CurrentProvinceCode, Reference, Description, ReversesId),
            Reversed, new DateTimeOffset(RecordedAt, TimeSpan.Zero));
    }
}
