using AidPlatform.Reporting.Api.Data;
using AidPlatform.Reporting.Api.Domain;
using Microsoft.AspNetCore.Http.HttpResults;

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

    internal static async Task<Ok<FreshnessDto>> GetFreshness(ReportQueries reports, CancellationToken cancellationToken) =>
        TypedResults.Ok(await reports.GetFreshness(cancellationToken));
}
