using System.Text.Json;
using Dapper;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AidPlatform.ServiceDefaults.Messaging;

/// <summary>
/// Publishes committed outbox rows with publisher confirms and <c>MessageId</c> = row id, a batch at a time
/// (one claim, the batch's publishes in flight together, one write for the outcome), and deletes the rows the
/// broker confirmed, so the table holds only what is still to send and does not grow under load. It wakes on
/// the NOTIFY sent by the outbox trigger at commit, and polls as a safety net. Rows are claimed with
/// <c>FOR UPDATE SKIP LOCKED</c>, so two instances never publish the same row at once; a row the broker did
/// not confirm stays and is tried again, so delivery is at least once.
/// </summary>
internal sealed partial class OutboxRelay(
    NpgsqlDataSource dataSource,
    IBus bus,
    ServiceSchema service,
    IOptions<OutboxOptions> options,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    // Claims a batch, and publishes of it only as many rows as fit in MaxBatchBytes (at least one): an import's
    // parts are some 200 KB each, and a batch of them would otherwise hold tens of MB per worker. Claimed rows
    // left out are released at commit, for the next round.
    private const string Claim = """
        with claimed as (
            select id, message_type, payload, created_at
            from outbox_messages
            where failed_at is null and (next_attempt_at is null or next_attempt_at <= now())
            order by created_at, id
            limit @BatchSize
            for update skip locked),
        sized as (
            select id, message_type, payload, created_at, count(*) over () as claimed,
                   sum(octet_length(payload::text)) over (order by created_at, id) - octet_length(payload::text) as ahead
            from claimed)
        select id, message_type, payload::text as payload, claimed
        from sized
        where ahead < @MaxBatchBytes
        order by created_at, id
        """;

    private const string Sent = "delete from outbox_messages where id = any(@Ids)";

    // Backs off 0.5 s, 1 s, 2 s ... up to 10 s per row: a refused row steps aside for those behind it.
    private const string MarkAttempt = """
        update outbox_messages
        set attempts = attempts + 1, last_error = @Error,
            next_attempt_at = now() + least(interval '10 seconds', interval '500 milliseconds' * power(2, least(attempts, 10)))
        where id = any(@Ids)
        """;

    private const string Park = "update outbox_messages set failed_at = now(), attempts = attempts + 1, last_error = @Error where id = @Id";

    private readonly OutboxOptions options = options.Value;

    // Resolving a type by name walks the loaded assemblies: once per type, not per message.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Type> Types = new();

    // One permit at most: a wake-up for an idle worker. A commit notified while every worker is busy leaves the
    // permit for the first that finishes, so no wake-up is lost.
    private readonly SemaphoreSlim wake = new(0);

    /// <summary>
    /// Several workers drain side by side (SKIP LOCKED gives each its own rows): a worker waiting for the broker's
    /// confirms of its batch (RabbitMQ confirms a persistent message once it is on disk, which can take a while)
    /// does not hold up the events committed meanwhile. One listener wakes one worker per commit, so an idle
    /// relay costs no empty claims; a worker that claimed a full batch wakes another for what is behind it.
    /// </summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.Workers)).Select(_ => Work(stoppingToken)).Append(Listen(stoppingToken)));

    private void Wake()
    {
        if (wake.CurrentCount == 0)
        {
            wake.Release();
        }
    }

    private async Task Work(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var round = await Drain(stoppingToken);
                if (round == Round.BrokerRefused)
                {
                    backoff = await WaitOut(null, backoff, stoppingToken);
                    continue;
                }

                backoff = TimeSpan.FromMilliseconds(250);
                await wake.WaitAsync(options.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (IsUnavailable(e))
            {
                backoff = await WaitOut(e, backoff, stoppingToken);
            }
        }
    }

    /// <summary>Listens for the outbox trigger's NOTIFY at commit and wakes a worker for each.</summary>
    private async Task Listen(CancellationToken stoppingToken)
    {
        var backoff = TimeSpan.FromMilliseconds(250);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => Wake();
                await connection.ExecuteAsync($"listen \"outbox_{service.Name}\"");
                Wake(); // What was committed before we listened.
                backoff = TimeSpan.FromMilliseconds(250);
                while (true)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (IsUnavailable(e))
            {
                backoff = await WaitOut(e, backoff, stoppingToken);
            }
        }
    }

    private static bool IsUnavailable(Exception e) => e is NpgsqlException or TimeoutException or InvalidOperationException or System.IO.IOException;

    /// <summary>Waits out the database (or the broker, with no exception to log); returns the next, doubled wait, up to 5 s.</summary>
    private async Task<TimeSpan> WaitOut(Exception? databaseFault, TimeSpan backoff, CancellationToken stoppingToken)
    {
        if (databaseFault is not null)
        {
            LogDatabaseUnavailable(databaseFault);
        }

        await Task.Delay(backoff, stoppingToken);
        return TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
    }

    private enum Round { Drained, BrokerRefused }

    /// <summary>
    /// Publishes batches until none is left, or until the broker refuses a whole batch (it is down):
    /// refused rows wait out their own backoff while the rows behind them go on.
    /// </summary>
    private async Task<Round> Drain(CancellationToken cancellationToken)
    {
        while (true)
        {
            var (claimed, published) = await PublishBatch(cancellationToken);
            if (claimed > 0 && published == 0)
            {
                return Round.BrokerRefused;
            }

            if (claimed < options.BatchSize && published == claimed)
            {
                return Round.Drained;
            }

            Wake(); // A full batch: there may be more behind it, for another worker.
        }
    }

    private async Task<(int Claimed, int Published)> PublishBatch(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<OutboxRow>(Claim, new { options.BatchSize, options.MaxBatchBytes }, transaction)).AsList();
        if (rows.Count == 0)
        {
            return (0, 0);
        }

        var claimed = (int)rows[0].Claimed;

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.PublishTimeout);
        var outcomes = await Task.WhenAll(rows.Select(row => Publish(row, timeout.Token)));

        var sent = new List<Guid>(rows.Count);
        var unsent = new List<Guid>();
        string? lastError = null;
        for (var i = 0; i < rows.Count; i++)
        {
            switch (outcomes[i])
            {
                case { Sent: true }:
                    sent.Add(rows[i].Id);
                    break;
                case { Unreadable: true }:
                    await connection.ExecuteAsync(Park, new { rows[i].Id, outcomes[i].Error }, transaction);
                    LogParked(rows[i].Id, rows[i].MessageType, outcomes[i].Error);
                    break;
                default:
                    unsent.Add(rows[i].Id);
                    lastError = outcomes[i].Error;
                    break;
            }
        }

        await connection.ExecuteAsync(Sent, new { Ids = sent.ToArray() }, transaction);
        if (unsent.Count > 0)
        {
            await connection.ExecuteAsync(MarkAttempt, new { Ids = unsent.ToArray(), Error = lastError }, transaction);
            LogUnsent(unsent.Count, lastError);
        }

        // Not the caller's token: what the broker confirmed must be recorded even while we stop.
        await transaction.CommitAsync(CancellationToken.None);
        // Claimed but left for the next round (over the byte limit) counts as not yet published.
        return (claimed, rows.Count - unsent.Count);
    }

    private async Task<Outcome> Publish(OutboxRow row, CancellationToken cancellationToken)
    {
        object message;
        Type messageType;
        try
        {
            messageType = Types.GetOrAdd(row.MessageType, name => Type.GetType(name, throwOnError: true)!);
            message = JsonSerializer.Deserialize(row.Payload, messageType, JsonSerializerOptions.Web)
                ?? throw new JsonException("The payload is null.");
        }
        catch (Exception e) when (e is JsonException or TypeLoadException or FileNotFoundException or NotSupportedException)
        {
            return new Outcome(false, true, e.Message);
        }

        try
        {
            await bus.Publish(message, messageType, context =>
            {
                context.MessageId = row.Id;
                if (options.RequireSubscriber && context.TryGetPayload<RabbitMqSendContext>(out var rabbit))
                {
                    rabbit.Mandatory = true;
                }
            }, cancellationToken);
            return new Outcome(true, false, null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new Outcome(false, false, e.Message);
        }
    }

    private sealed record OutboxRow(Guid Id, string MessageType, string Payload, long Claimed);

    private sealed record Outcome(bool Sent, bool Unreadable, string? Error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox relay cannot reach the database; retrying")]
    private partial void LogDatabaseUnavailable(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} outbox rows were not confirmed by the broker and stay queued: {Error}")]
    private partial void LogUnsent(int count, string? error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox row {Id} of type {MessageType} cannot be read and is parked: {Error}")]
    private partial void LogParked(Guid id, string messageType, string? error);
}
