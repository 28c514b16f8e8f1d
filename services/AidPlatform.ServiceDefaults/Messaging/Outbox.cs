using System.Text.Json;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace AidPlatform.ServiceDefaults.Messaging;

/// <summary>
/// Writes integration events into the service's <c>outbox_messages</c> table inside the caller's
/// transaction, so an event exists if and only if the business change committed.
/// </summary>
public static class Outbox
{
    private const string Insert = """
        insert into outbox_messages (id, message_type, payload)
        values (@Id, @MessageType, @Payload::json)
        """;

    /// <summary>Adds <paramref name="message"/> to the outbox; <paramref name="messageId"/> becomes the published MessageId.</summary>
    public static Task Enqueue<T>(this NpgsqlTransaction transaction, Guid messageId, T message)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var type = message.GetType();
        return transaction.Connection!.ExecuteAsync(Insert, new
        {
            Id = messageId,
            MessageType = TypeName(type),
            Payload = Payload(message),
        }, transaction);
    }

    /// <summary>Adds many messages with one round trip, for batches and imports.</summary>
    public static async Task EnqueueMany<T>(this NpgsqlTransaction transaction, IReadOnlyList<(Guid MessageId, T Message)> messages)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(transaction);
        ArgumentNullException.ThrowIfNull(messages);
        if (messages.Count == 0)
        {
            return;
        }

        const string insertMany = """
            insert into outbox_messages (id, message_type, payload)
            select id, @MessageType, payload::json from unnest(@Ids, @Payloads) as m(id, payload)
            """;
        await transaction.Connection!.ExecuteAsync(insertMany, new
        {
            MessageType = TypeName(typeof(T)),
            Ids = messages.Select(m => m.MessageId).ToArray(),
            Payloads = messages.Select(m => JsonSerializer.Serialize(m.Message, JsonSerializerOptions.Web)).ToArray(),
        }, transaction);
    }

    /// <summary>
    /// The outbox row of <paramref name="message"/> as a command for the caller's <see cref="NpgsqlBatch"/>, written
    /// only if <paramref name="table"/> holds a row whose id is <paramref name="messageId"/>: the event of a guarded
    /// write, sent after it in one round trip, goes in exactly when the write did.
    /// </summary>
    public static NpgsqlBatchCommand EnqueueIfWritten(Guid messageId, object message, string table)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new($"""
            insert into outbox_messages (id, message_type, payload)
            select $1, $2, $3::json where exists (select 1 from {table} where id = $1)
            """)
        {
            Parameters =
            {
                new() { Value = messageId, NpgsqlDbType = NpgsqlDbType.Uuid },
                new() { Value = TypeName(message.GetType()), NpgsqlDbType = NpgsqlDbType.Text },
                new() { Value = Payload(message), NpgsqlDbType = NpgsqlDbType.Text },
            },
        };
    }

    /// <summary>
    /// The JSON an outbox row carries for <paramref name="message"/>, which the relay reads back: for a bulk path
    /// that stages its rows itself (binary COPY) and must write exactly what <see cref="Enqueue"/> writes.
    /// </summary>
    public static string Payload(object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return JsonSerializer.Serialize(message, message.GetType(), JsonSerializerOptions.Web);
    }

    /// <summary>Assembly-qualified without version, so a redeployed contracts assembly still resolves.</summary>
    public static string TypeName(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";
}
