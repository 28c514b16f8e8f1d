namespace AidPlatform.Reporting.Api.Messaging;

/// <summary>The <c>Projection</c> configuration section: how the ledger's events are gathered into batches.</summary>
public sealed class ProjectionOptions
{
    public const string Section = "Projection";

    /// <summary>Most ledger events projected in one transaction; also each ledger queue's prefetch.</summary>
    public int BatchSize { get; set; } = 1000;

    /// <summary>Batches written side by side.</summary>
    public int Writers { get; set; } = 2;

    /// <summary>
    /// How long the first event of a batch waits for others to join it. Under load a batch fills while the one
    /// before is written, so this only adds to the latency of a lone event.
    /// </summary>
    public TimeSpan BatchWindow { get; set; } = TimeSpan.FromMilliseconds(5);
}

/// <summary>A ledger queue lets a whole batch be in flight: its prefetch and concurrency are the batch size.</summary>
public sealed class BatchedConsumerDefinition<TConsumer> : MassTransit.ConsumerDefinition<TConsumer>
    where TConsumer : class, MassTransit.IConsumer
{
    public BatchedConsumerDefinition(Microsoft.Extensions.Options.IOptions<ProjectionOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var size = options.Value.BatchSize;
        Endpoint(e => (e.PrefetchCount, e.ConcurrentMessageLimit) = (size, size));
    }
}
