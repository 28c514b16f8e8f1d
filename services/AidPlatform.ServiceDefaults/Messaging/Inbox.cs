using AidPlatform.ServiceDefaults.Data;
using Dapper;
using MassTransit;
using Npgsql;
using Polly;
using Polly.Retry;

namespace AidPlatform.ServiceDefaults.Messaging;

/// <summary>
/// Runs a consumer's effect at most once per message: <c>(message_id, consumer)</c> is recorded in
/// <c>inbox_messages</c> in the same transaction as the effect, so a redelivery finds it and does nothing.
/// Two concurrent deliveries of one message serialise on the primary key. While the database cannot be
/// reached (restarting, failing over) the message is held and tried again for some fifteen minutes, so
/// that an outage never sends good events to the error queue; stopping the service releases it.
/// </summary>
public sealed class Inbox(NpgsqlDataSource dataSource)
{
    private const string Record = """
        insert into inbox_messages (message_id, consumer) values (@MessageId, @Consumer)
        on conflict do nothing
        """;

    /// <summary>
    /// Runs <paramref name="effect"/> in a transaction unless <paramref name="consumer"/> already handled this
    /// message. Returns false for a duplicate. The effect may enqueue outbox events in the same transaction.
    /// </summary>
    public async Task<bool> Once(ConsumeContext context, string consumer, Func<NpgsqlTransaction, Task> effect)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(effect);
        var messageId = context.MessageId ?? throw new InvalidOperationException("A message without MessageId cannot be de-duplicated.");
        return await WhileTheDatabaseIsAway.ExecuteAsync(
            async cancellationToken => await Run(messageId, consumer, effect, cancellationToken), context.CancellationToken);
    }

    /// <summary>
    /// The set-based <see cref="Once"/> for a batch of messages: records every <c>(message_id, consumer)</c> in one
    /// statement, in key order (two batches sharing messages lock them in one order and cannot deadlock), and runs
    /// <paramref name="effect"/> in the same transaction with the messages not handled before. A message delivered
    /// twice within the batch counts once. Returns those fresh messages.
    /// </summary>
    public async Task<IReadOnlySet<(Guid MessageId, string Consumer)>> OnceEach(
        IReadOnlyCollection<(Guid MessageId, string Consumer)> messages,
        Func<NpgsqlTransaction, IReadOnlySet<(Guid MessageId, string Consumer)>, Task> effect,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(effect);
        return await WhileTheDatabaseIsAway.ExecuteAsync(
            async token => await RunEach(messages, effect, token), cancellationToken);
    }

    private static readonly ResiliencePipeline WhileTheDatabaseIsAway = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<NpgsqlException>(DatabaseFaults.IsUnavailable),
            BackoffType = DelayBackoffType.Exponential,
            UseJitter = true,
            Delay = TimeSpan.FromMilliseconds(500),
            MaxDelay = TimeSpan.FromSeconds(30),
            MaxRetryAttempts = 40,
        })
        .Build();

    private async Task<IReadOnlySet<(Guid MessageId, string Consumer)>> RunEach(
        IReadOnlyCollection<(Guid MessageId, string Consumer)> messages,
        Func<NpgsqlTransaction, IReadOnlySet<(Guid MessageId, string Consumer)>, Task> effect,
        CancellationToken cancellationToken)
    {
        const string recordEach = """
            insert into inbox_messages (message_id, consumer)
            select distinct m.id, m.consumer from unnest(@Ids, @Consumers) as m(id, consumer)
            order by 1, 2
            on conflict do nothing
            returning message_id, consumer
            """;
        var ordered = messages.Distinct().ToArray();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var fresh = (await connection.QueryAsync<(Guid MessageId, string Consumer)>(recordEach, new
        {
            Ids = ordered.Select(m => m.MessageId).ToArray(),
            Consumers = ordered.Select(m => m.Consumer).ToArray(),
        }, transaction)).ToHashSet();
        if (fresh.Count > 0)
        {
            await effect(transaction, fresh);
        }

        await transaction.CommitAsync(cancellationToken);
        return fresh;
    }

    private async Task<bool> Run(Guid messageId, string consumer, Func<NpgsqlTransaction, Task> effect, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var recorded = await connection.ExecuteAsync(Record, new { MessageId = messageId, Consumer = consumer }, transaction);
        if (recorded == 0)
        {
            return false;
        }

        await effect(transaction);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
