using AidPlatform.Disbursement.Api.Domain;
using AidPlatform.ServiceDefaults.Http;
using Dapper;
using Npgsql;

namespace AidPlatform.Disbursement.Api.Data;

/// <summary>
/// Monthly rates, units of currency per USD. Each carries a version (its ETag); every change is kept in
/// exchange_rate_history by the database, and bumps reference_version so that cached rate tables reload.
/// </summary>
public sealed class ExchangeRateStore(NpgsqlDataSource dataSource)
{
    private const string Columns = "currency, to_char(month, 'YYYY-MM') as month, units_per_usd, source, updated_at, version";

    /// <summary>One page of the rates <paramref name="filter"/> selects, by currency and month, and how many it selects in all.</summary>
    public async Task<(IReadOnlyList<ExchangeRate> Rates, long Total)> List(RateFilter filter, PageRequest paging, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        const string sql = $"""
            select {Columns}, count(*) over () as total
            from exchange_rates
            where (@Currency::text is null or currency = @Currency)
              and (@From::date is null or month >= @From)
              and (@To::date is null or month <= @To)
            order by currency, month
            limit @Limit offset @Offset
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<RateRow>(sql, new { filter.Currency, filter.From, filter.To, Limit = paging.PageSize, paging.Offset })).AsList();
        return (rows.Select(r => r.ToRate()).ToList(), rows.Count > 0 ? rows[0].Total : 0);
    }

    public async Task<ExchangeRate?> Find(string currency, DateOnly month, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<RateRow>($"select {Columns}, 1::bigint as total from exchange_rates where currency = @currency and month = @month",
            new { currency, month }))?.ToRate();
    }

    /// <summary>
    /// Sets a month's rate: locks the current version (null when the month has none), lets
    /// <paramref name="preconditions"/> refuse, then updates the rate or creates the month.
    /// </summary>
    public async Task<(ExchangeRate Rate, bool Created)> Set(RateChange change, Action<int?> preconditions, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        ArgumentNullException.ThrowIfNull(preconditions);
        const string update = $"""
            update exchange_rates set units_per_usd = @UnitsPerUsd, source = 'ministry', updated_at = now(), version = version + 1
            where currency = @Currency and month = @Month
            returning {Columns}, 1::bigint as total
            """;
        const string insert = $"""
            insert into exchange_rates (currency, month, units_per_usd, source) values (@Currency, @Month, @UnitsPerUsd, 'ministry')
            returning {Columns}, 1::bigint as total
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var current = await connection.QuerySingleOrDefaultAsync<int?>(
            "select version from exchange_rates where currency = @Currency and month = @Month for update", change, transaction);
        preconditions(current);
        var row = await connection.QuerySingleAsync<RateRow>(current is null ? insert : update, change, transaction);
        await transaction.CommitAsync(cancellationToken);
        return (row.ToRate(), current is null);
    }

    /// <summary>Every version of a month's rate, newest first; empty when the month never had one.</summary>
    public async Task<IReadOnlyList<RateVersion>> History(string currency, DateOnly month, CancellationToken cancellationToken)
    {
        const string sql = """
            select version, units_per_usd, source, changed_at from exchange_rate_history
            where currency = @currency and month = @month
            order by version desc
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = await connection.QueryAsync<(int Version, decimal UnitsPerUsd, string Source, DateTime ChangedAt)>(sql, new { currency, month });
        return rows.Select(r => new RateVersion(r.Version, r.UnitsPerUsd / 1.000000000000000000000000000000000m, r.Source, new DateTimeOffset(r.ChangedAt, TimeSpan.Zero))).ToList();
    }

    /// <summary>
    /// Sets an upload's rates in one transaction: a new month is created, a changed rate becomes a new version,
    /// an equal one is left alone (no new version, and no write at all when the whole file is as stored, so
    /// that the same file twice changes nothing). Each rate as it now stands, with what was done to it.
    /// </summary>
    public async Task<IReadOnlyList<ImportedRate>> Import(IReadOnlyList<RateChange> changes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changes);
        const string keys = "select * from unnest(@Currencies, @Months)";
        const string lockCurrent = $"""
            select currency, month, units_per_usd from exchange_rates
            where (currency, month) in ({keys})
            order by currency, month
            for update
            """;
        // The where clause keeps a rate that a concurrent writer already set to the same value as it is.
        const string upsert = """
            insert into exchange_rates (currency, month, units_per_usd, source)
            select currency, month, units_per_usd, 'ministry-import'
            from unnest(@Currencies, @Months, @Rates) as r(currency, month, units_per_usd)
            order by currency, month
            on conflict (currency, month) do update
            set units_per_usd = excluded.units_per_usd, source = excluded.source, updated_at = now(), version = exchange_rates.version + 1
            where exchange_rates.units_per_usd <> excluded.units_per_usd
            returning currency, to_char(month, 'YYYY-MM') as month, (xmax = 0) as created
            """;
        const string read = $"""
            select {Columns}, 1::bigint as total from exchange_rates
            where (currency, month) in ({keys})
            order by currency, month
            """;
        var all = Keys(changes);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var current = (await connection.QueryAsync<(string Currency, DateOnly Month, decimal UnitsPerUsd)>(lockCurrent, all, transaction))
            .ToDictionary(r => (r.Currency, r.Month), r => r.UnitsPerUsd);
        var changed = changes.Where(c => !current.TryGetValue((c.Currency, c.Month), out var rate) || rate != c.UnitsPerUsd).ToList();
        var written = new Dictionary<(string Currency, string Month), bool>();
        if (changed.Count > 0)
        {
            var rows = await connection.QueryAsync<(string Currency, string Month, bool Created)>(upsert, new
            {
                Currencies = changed.Select(c => c.Currency).ToArray(),
                Months = changed.Select(c => c.Month).ToArray(),
                Rates = changed.Select(c => c.UnitsPerUsd).ToArray(),
            }, transaction);
            written = rows.ToDictionary(r => (r.Currency, r.Month), r => r.Created);
        }

        var stored = (await connection.QueryAsync<RateRow>(read, all, transaction)).Select(r => r.ToRate()).ToList();
        await transaction.CommitAsync(cancellationToken);
        return stored.ConvertAll(rate => new ImportedRate(rate,
            written.TryGetValue((rate.Currency, rate.Month), out var created)
                ? created ? ImportedRate.Created : ImportedRate.Updated
                : ImportedRate.Unchanged));
    }

    private static object Keys(IReadOnlyList<RateChange> changes) => new
    {
        Currencies = changes.Select(c => c.Currency).ToArray(),
        Months = changes.Select(c => c.Month).ToArray(),
    };

    private sealed record RateRow(string Currency, string Month, decimal UnitsPerUsd, string Source, DateTime UpdatedAt, int Version, long Total)
    {
        // Rates are numeric(20,6): trailing zeros are dropped, as for ledger amounts.
        public ExchangeRate ToRate() => new(Currency, Month, UnitsPerUsd / 1.000000000000000000000000000000000m, Source, new DateTimeOffset(UpdatedAt, TimeSpan.Zero), Version);
    }
}
