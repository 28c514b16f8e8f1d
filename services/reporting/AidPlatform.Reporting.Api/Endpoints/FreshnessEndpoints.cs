using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace AidPlatform.Reporting.Api.Endpoints;

/// <summary>How current the reports are.</summary>
public static class FreshnessEndpoints
{
    public static IEndpointRouteBuilder MapFreshnessEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/v1/reports").WithTags("Reports")
            .MapGet("/freshness", GetFreshness)
            .WithName("GetReportFreshness")
            .WithSummary("When the last event was projected, how many were, and how far behind its occurrence it was.");
        return routes;
    }

    /// <param name="LastEventAt">When the last projected event occurred at its producer.</param>
    /// <param name="EventsProcessed">Events projected since the reporting schema was created.</param>
    /// <param name="LagSeconds">Seconds between the last event's occurrence and its projection.</param>
    public sealed record FreshnessDto(DateTimeOffset? LastEventAt, long EventsProcessed, decimal? LagSeconds);

    internal static async Task<Ok<FreshnessDto>> GetFreshness(NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        const string sql = """
            select (select count(*) from processed_events) as events_processed, occurred_at as last_event_at, processed_at as last_processed_at
            from (select 1) one left join lateral (
                select occurred_at, processed_at from processed_events order by processed_at desc limit 1) last on true
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var state = await connection.QuerySingleAsync<StateRow>(sql);
        var lastEventAt = state.LastEventAt is { } at ? new DateTimeOffset(at, TimeSpan.Zero) : (DateTimeOffset?)null;
        decimal? lag = state.LastEventAt is { } occurred && state.LastProcessedAt is { } processed
            ? Math.Round((decimal)(processed - occurred).TotalSeconds, 3)
            : null;
        return TypedResults.Ok(new FreshnessDto(lastEventAt, state.EventsProcessed, lag));
    }

    private sealed record StateRow(long EventsProcessed, DateTime? LastEventAt, DateTime? LastProcessedAt);
}
