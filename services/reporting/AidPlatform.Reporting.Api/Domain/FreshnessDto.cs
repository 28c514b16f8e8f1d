namespace AidPlatform.Reporting.Api.Domain;

/// <param name="LastEventAt">When the last projected event occurred at its producer.</param>
/// <param name="EventsProcessed">Events projected since the reporting schema was created.</param>
/// <param name="LagSeconds">Seconds between the last event's occurrence and its projection.</param>
public sealed record FreshnessDto(DateTimeOffset? LastEventAt, long EventsProcessed, decimal? LagSeconds)
{
    public static FreshnessDto Of(long eventsProcessed, DateTimeOffset? lastEventAt, DateTimeOffset? lastProcessedAt)
    {
        decimal? lag = lastEventAt is { } occurred && lastProcessedAt is { } processed
            ? Math.Round((decimal)(processed - occurred).TotalSeconds, 3)
            : null;
        return new FreshnessDto(lastEventAt, eventsProcessed, lag);
    }
}
