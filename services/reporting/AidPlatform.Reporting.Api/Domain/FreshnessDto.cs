namespace AidPlatform.Reporting.Api.Domain;

/// <param name="LastEventAt">When the last projected event occurred at its producer.</param>
/// <param name="EventsProcessed">Events projected since the reporting schema was created.</param>
/// <param name="LagSeconds">Seconds between the last event's occurrence and its projection.</param>
/// <param name="PendingEvents">Ledger entries recorded but not yet in the reports; null when the ledger cannot be asked.</param>
/// <param name="CaughtUp">True when none is pending; null when the ledger cannot be asked.</param>
public sealed record FreshnessDto(DateTimeOffset? LastEventAt, long EventsProcessed, decimal? LagSeconds, long? PendingEvents, bool? CaughtUp)
{
    /// <summary>
    /// The lag of the last projected event, and how many ledger entries the ledger holds that the reports do
    /// not yet (null, with caughtUp, when the ledger cannot be asked: unknown is not zero).
    /// </summary>
    public static FreshnessDto Of(long eventsProcessed, DateTimeOffset? lastEventAt, DateTimeOffset? lastProcessedAt, long? ledgerEntries, long projectedEntries)
    {
        decimal? lag = lastEventAt is { } occurred && lastProcessedAt is { } processed
            ? Math.Round((decimal)(processed - occurred).TotalSeconds, 3)
            : null;
        long? pending = ledgerEntries is { } recorded ? Math.Max(0, recorded - projectedEntries) : null;
        return new FreshnessDto(lastEventAt, eventsProcessed, lag, pending, pending is null ? null : pending == 0);
    }
}
