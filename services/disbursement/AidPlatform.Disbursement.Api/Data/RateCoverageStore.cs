using AidPlatform.Disbursement.Api.Domain;
using AidPlatform.ServiceDefaults.Http;
using Dapper;
using Npgsql;

namespace AidPlatform.Disbursement.Api.Data;

/// <summary>
/// The currency-months refused entries needed and lacked (<c>rate_gaps</c>), and whether a rate covers each now:
/// the month's own or one of the three before, as <see cref="AidPlatform.Reference.UsdConversion"/> falls back.
/// </summary>
public sealed partial class RateCoverageStore(NpgsqlDataSource dataSource, ILogger<RateCoverageStore> logger)
{
    // In key order, so that two refusals naming the same gaps lock them in the same order.
    private const string Upsert = """
        insert into rate_gaps (currency, month, refused_entries)
        select * from unnest(@Currencies, @Months, @Counts) as g(currency, month, refused_entries) order by currency, month
        on conflict (currency, month) do update
        set last_refused_at = now(), refused_entries = rate_gaps.refused_entries + excluded.refused_entries
        """;

    /// <summary>
    /// Records the gaps of a refusal, in its own short transaction after the refused work. A refusal is answered
    /// even when this fails: the record is a help to the ministry, the 422 is the answer.
    /// </summary>
    public async Task Record(RateMisses misses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(misses);
        if (misses.Counts.Count == 0)
        {
            return;
        }

        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
            await connection.ExecuteAsync(Upsert, new
            {
                Currencies = misses.Counts.Keys.Select(k => k.Currency).ToArray(),
                Months = misses.Counts.Keys.Select(k => k.Month).ToArray(),
                Counts = misses.Counts.Values.ToArray(),
            });
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            LogNotRecorded(e, misses.Counts.Count);
        }
    }

    /// <summary>One page of the gaps <paramref name="filter"/> selects, by currency and month, and how many it selects in all.</summary>
    public async Task<(IReadOnlyList<RateGap> Gaps, long Total)> List(CoverageFilter filter, PageRequest paging, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        const string sql = """
            select g.currency, to_char(g.month, 'YYYY-MM') as month, g.first_refused_at, g.last_refused_at, g.refused_entries,
                   to_char(r.month, 'YYYY-MM') as covered_by, count(*) over () as total
            from rate_gaps g
            left join lateral (
                select month from exchange_rates
                where currency = g.currency and month between (g.month - interval '3 months')::date and g.month
                order by month desc limit 1) r on true
            where (@Currency::text is null or g.currency = @Currency)
              and (not @OnlyMissing or r.month is null)
            order by g.currency, g.month
            limit @Limit offset @Offset
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<GapRow>(sql, new { filter.Currency, filter.OnlyMissing, Limit = paging.PageSize, paging.Offset })).AsList();
        return (rows.Select(r => r.ToGap()).ToList(), rows.Count > 0 ? rows[0].Total : 0);
    }

    private sealed record GapRow(string Currency, string Month, DateTime FirstRefusedAt, DateTime LastRefusedAt, long RefusedEntries, string? CoveredBy, long Total)
    {
        public RateGap ToGap() => new(Currency, Month, new DateTimeOffset(FirstRefusedAt, TimeSpan.Zero), new DateTimeOffset(LastRefusedAt, TimeSpan.Zero), RefusedEntries, CoveredBy);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Gaps} missing-rate gap(s) of a refusal were not recorded")]
    private partial void LogNotRecorded(Exception exception, int gaps);
}
