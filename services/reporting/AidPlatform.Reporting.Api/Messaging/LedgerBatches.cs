using System.Threading.Channels;
using AidPlatform.Reporting.Api.Data;
using AidPlatform.Reporting.Api.Domain;
using AidPlatform.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.Extensions.Options;

namespace AidPlatform.Reporting.Api.Messaging;

/// <summary>
/// Gathers the ledger's events from their consumers into batches and projects each batch in one transaction:
/// set-based inbox, rows, cells and aggregates (<see cref="ProjectionStore.RecordTransactions"/>). Each
/// consumer waits for its own message's outcome, so every message keeps MassTransit's own acknowledgement,
/// retries and error queue. That is why this is not a <c>Batch&lt;T&gt;</c> consumer: a MassTransit batch
/// succeeds or fails as a whole (MassTransit#3373), and one malformed event would send a thousand good ones to
/// the error queue. Here a batch that fails is projected again one message at a time, and only the message
/// that fails alone fails.
/// </summary>
/// <remarks>
/// It stops after the bus, whatever the order of registration: the host stops hosted services in reverse order,
/// and this one was added after MassTransit's, so it would stop first and send the consumers still delivering
/// to their retries and error queue. So <see cref="StopAsync"/> keeps writing, and <see cref="StoppedAsync"/>
/// (after every service has stopped, the bus included) writes what is left and then ends.
/// </remarks>
public sealed partial class LedgerBatches(Inbox inbox, IOptions<ProjectionOptions> options, ILogger<LedgerBatches> logger)
    : BackgroundService, IHostedLifecycleService
{
    private readonly Channel<Pending> queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions());
    private readonly ProjectionOptions options = options.Value;

    /// <summary>Projects one ledger event, in the next batch; completes when that batch has committed.</summary>
    public Task Project<TEvent>(ConsumeContext<TEvent> context, string consumer, TransactionRow row)
        where TEvent : class
    {
        ArgumentNullException.ThrowIfNull(context);
        var messageId = context.MessageId ?? throw new InvalidOperationException("A message without MessageId cannot be de-duplicated.");
        var pending = new Pending((messageId, consumer), typeof(TEvent).Name, row);
        if (!queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The projection is stopping.");
        }

        return pending.Done.Task.WaitAsync(context.CancellationToken);
    }

    public override Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        // The bus has stopped, so nothing more arrives: the writers end once the queue is empty, or when the
        // host's shutdown time is up, and then what is left is released unacknowledged.
        queue.Writer.TryComplete();
        if (ExecuteTask is { } writing)
        {
            await Task.WhenAny(writing, Task.Delay(Timeout.Infinite, cancellationToken));
        }

        await base.StopAsync(cancellationToken);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Writers side by side: one gathers and sends its batch while another waits on the database. Their locks
        // are taken in one order (inbox keys, projects, aggregate rows), so they cannot deadlock.
        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, options.Writers)).Select(_ => Write(stoppingToken)));
        queue.Writer.TryComplete();
        while (queue.Reader.TryRead(out var left))
        {
            left.Done.TrySetCanceled(stoppingToken);
        }
    }

    private async Task Write(CancellationToken stoppingToken)
    {
        try
        {
            while (await queue.Reader.WaitToReadAsync(stoppingToken))
            {
                var batch = await Gather(stoppingToken);
                if (batch.Count > 0)
                {
                    await Run(batch, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is still waiting is released unacknowledged, and the broker delivers it again.
        }
    }

    /// <summary>What is waiting, up to the batch size; if that is not a full batch, what arrives within the window.</summary>
    private async Task<List<Pending>> Gather(CancellationToken stoppingToken)
    {
        var batch = new List<Pending>(options.BatchSize);
        var deadline = DateTime.UtcNow + options.BatchWindow;
        while (batch.Count < options.BatchSize)
        {
            if (queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
                continue;
            }

            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
            {
                break;
            }

            using var window = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            window.CancelAfter(left);
            try
            {
                await queue.Reader.WaitToReadAsync(window.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }

        return batch;
    }

    private async Task Run(List<Pending> batch, CancellationToken stoppingToken)
    {
        try
        {
            await Project(batch, stoppingToken);
            batch.ForEach(p => p.Done.TrySetResult());
            return;
        }
        catch (Exception e) when (batch.Count > 1 && !stoppingToken.IsCancellationRequested)
        {
            LogBatchFailed(batch.Count, e);
        }
        catch (Exception e)
        {
            batch.ForEach(p => p.Done.TrySetException(e));
            return;
        }

        // One message at a time: the good ones go in, and each failing one fails on its own.
        foreach (var pending in batch)
        {
            try
            {
                await Project([pending], stoppingToken);
                pending.Done.TrySetResult();
            }
            catch (Exception e)
            {
                pending.Done.TrySetException(e);
            }
        }
    }

    private async Task Project(IReadOnlyList<Pending> batch, CancellationToken cancellationToken) =>
        await inbox.OnceEach([.. batch.Select(p => p.Key)], async (transaction, fresh) =>
        {
            var projected = batch.Where(p => fresh.Contains(p.Key)).DistinctBy(p => p.Key).ToList();
            await ProjectionStore.RecordTransactions(transaction, [.. projected.Select(p => p.Row)]);
            await Freshness.RecordMany(transaction, [.. projected.Select(p => (p.Key.MessageId, p.EventType, p.Row.OccurredAt))]);
        }, cancellationToken);

    private sealed record Pending((Guid MessageId, string Consumer) Key, string EventType, TransactionRow Row)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} ledger events failed; projecting them one at a time")]
    private partial void LogBatchFailed(int count, Exception exception);
}
