using Dapper;
using Npgsql;

namespace AidPlatform.Reporting.Api.Data;

/// <summary>Appends one row per projected event, for <c>/reports/freshness</c>.</summary>
public static class Freshness
{
    public static Task Record(NpgsqlTransaction transaction, Guid messageId, string eventType, DateTimeOffset occurredAt) =>
        RecordMany(transaction, [(messageId, eventType, occurredAt)]);

    public static Task RecordMany(NpgsqlTransaction transaction, IReadOnlyList<(Guid MessageId, string EventType, DateTimeOffset OccurredAt)> events)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(events);
        const string sql = """
            insert into processed_events (message_id, event_type, occurred_at)
            select * from unnest(@Ids, @Types, @OccurredAts)
            on conflict do nothing
            """;
        return transaction.Connection!.ExecuteAsync(sql, new
        {
            Ids = events.Select(e => e.MessageId).ToArray(),
            Types = events.Select(e => e.EventType).ToArray(),
            OccurredAts = events.Select(e => e.OccurredAt.UtcDateTime).ToArray(),
        }, transaction);
    }
}
