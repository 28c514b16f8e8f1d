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
            .WithSummary("When the last event was projected, how many were, how far behind its occurrence it was, and how many ledger entries are not yet in the reports (pendingEvents, caughtUp).");
        return routes;
    }

    internal static async Task<Ok<FreshnessDto>> GetFreshness(ReportQueries reports, DisbursementClient ledger, CancellationToken cancellationToken) =>
        TypedResults.Ok(await reports.GetFreshness(await ledger.TryCountLedgerEntries(cancellationToken), cancellationToken));
}
