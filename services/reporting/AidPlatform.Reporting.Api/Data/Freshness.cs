using Dapper;
using Npgsql;

namespace AidPlatform.Reporting.Api.Data;

/// <summary>Appends one row per projected event, for <c>/reports/freshness</c>.</summary>
public static class Freshness
{
    public static Task Record(NpgsqlTransaction transaction, Guid messageId, string eventType, DateTimeOffset occurredAt) =>
        transaction.Connection!.ExecuteAsync(
            "insert into processed_events (message_id, event_type, occurred_at) values (@messageId, @eventType, @occurredAt) on conflict do nothing",
            new { messageId, eventType, occurredAt = occurredAt.UtcDateTime },
            transaction);
}
