namespace AidPlatform.ServiceDefaults.Messaging;

/// <summary>The <c>Outbox</c> configuration section.</summary>
public sealed class OutboxOptions
{
    public const string Section = "Outbox";

    /// <summary>How long the relay sleeps when no NOTIFY wakes it; a safety net, not the normal path.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Relay workers draining side by side, each a batch at a time.</summary>
    public int Workers { get; set; } = 4;

    /// <summary>Rows claimed and published per round.</summary>
    public int BatchSize { get; set; } = 200;

    /// <summary>Most payload bytes one worker publishes per round (at least one row): bounds the relay's memory.</summary>
    public int MaxBatchBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>How long one round of publishes may wait for the broker's confirms.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Publish as mandatory: an event no queue is bound for is refused by the broker and stays in the outbox
    /// instead of being dropped. Turn off only where nothing is meant to consume.
    /// </summary>
    public bool RequireSubscriber { get; set; } = true;
}
