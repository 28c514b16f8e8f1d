using System.Security.Claims;
using AidPlatform.Reporting.Api.Data;
using AidPlatform.Reporting.Api.Domain;
using AidPlatform.ServiceDefaults;
using AidPlatform.ServiceDefaults.Errors;
using AidPlatform.ServiceDefaults.Http;
using AidPlatform.ServiceDefaults.Security;
using AidPlatform.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AidPlatform.Reporting.Api.Endpoints;

/// <summary>Reports in USD: summary, breakdowns (JSON or CSV), a project's absorption, reconciliation with the ledger.</summary>
public static class ReportEndpoints
{
    public static IEndpointRouteBuilder MapReportEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/reports").WithTags("Reports");
        group.MapGet("/summary", GetSummary).WithName("GetReportSummary")
            .WithSummary("Committed, disbursed and spent USD, with NGO, project and transaction counts, under the filters.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/breakdown", GetBreakdown).WithName("GetReportBreakdown")
            .WithSummary("Amounts by province, sector, sectorCategory, ngo, country, year, month, type, project or policyMarker; rows sum exactly to the total where additive (not by policyMarker: a project counts in full under each marker it carries, at the significance asked). Accept: text/csv for CSV.")
            .Produces<Breakdown>(contentType: "application/json").Produces<string>(contentType: "text/csv")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/projects/{id:guid}", GetProjectReport).WithName("GetProjectReport")
            .WithSummary("A project's budget in USD, what was committed, disbursed and spent against it, its absorption rate (disbursed / budget) and its alerts: disbursed-exceeds-committed, disbursed-exceeds-budget, no-activity-6-months (running six months or more with no entry dated in them).")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/reconciliation", GetReconciliation).WithName("GetReconciliation").RequireAuthorization(Policies.Oversight)
            .WithSummary("Compares the projected totals with the disbursement service's ledger totals.")
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        var open = routes.MapGroup("/api/v1/public/reports").WithTags("Open data").AllowAnonymous();
        open.MapGet("/summary", GetSummary).WithName("GetPublicReportSummary")
            .WithSummary("The summary, anonymous, for open data.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        open.MapGet("/breakdown", GetBreakdown).WithName("GetPublicReportBreakdown")
            .WithSummary("A breakdown, anonymous, for open data: aggregates only.")
            .Produces<Breakdown>(contentType: "application/json").Produces<string>(contentType: "text/csv")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return routes;
    }

    internal static async Task<Ok<Summary>> GetSummary(
        HttpRequest request, ReportQueries reports, DateOnly? from, DateOnly? to, Guid? ngoId, Guid? projectId, string? provinceCode, string? sector,
        [TransactionType] string? type, CancellationToken cancellationToken)
    {
        var partnerNgo = PartnerScope(request);
        var filter = Filter(new(from, to, ngoId, projectId, provinceCode, sector, type), partnerNgo);
        return TypedResults.Ok(await reports.GetSummary(filter, partnerNgo, cancellationToken));
    }

    internal static async Task<Results<Ok<Breakdown>, ContentHttpResult>> GetBreakdown(
        HttpRequest request, HttpResponse response, ReportQueries reports,
        [Dimension] string? by,
        DateOnly? from, DateOnly? to, Guid? ngoId, Guid? projectId, string? provinceCode, string? sector,
        [TransactionType] string? type, [SignificanceLevel, OnlyWith("by", "policyMarker")] string? significance, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var dimension = Dimensions.Validate(by, errors) ?? throw errors.Refusal("by is required.");
        var partnerNgo = PartnerScope(request);
        var filter = Filter(new(from, to, ngoId, projectId, provinceCode, sector, type), partnerNgo);
        var breakdown = await reports.GetBreakdown(dimension, filter, partnerNgo, significance, cancellationToken);
        if (!ContentNegotiation.Prefers(request, "text/csv"))
        {
            return TypedResults.Ok(breakdown);
        }

        response.Headers.ContentDisposition = $"attachment; filename=\"{BreakdownCsv.FileName(dimension, VietnamTime.Today)}\"";
        return TypedResults.Text(BreakdownCsv.Write(breakdown), "text/csv; charset=utf-8");
    }

    internal static async Task<Ok<ProjectReport>> GetProjectReport(Guid id, ClaimsPrincipal user, ReportQueries reports, DisbursementClient disbursement, CancellationToken cancellationToken)
    {
        var project = await reports.GetProject(id, cancellationToken) is { } found && user.MaySee(found.NgoId)
            ? found
            : throw new NotFoundException($"Project {id} has not been reported.");
        var budgetRate = await disbursement.GetRate(project.BudgetCurrency, project.StartDate, cancellationToken);
        return TypedResults.Ok(ProjectReport.Of(project, budgetRate, VietnamTime.Today));
    }

    internal static async Task<Ok<Reconciliation>> GetReconciliation(ReportQueries reports, DisbursementClient disbursement, CancellationToken cancellationToken)
    {
        var ledger = await disbursement.GetTotals(null, null, cancellationToken);
        var reporting = await reports.GetLedgerTotals(null, null, cancellationToken);
        return TypedResults.Ok(Reconciliation.Of(reporting, ledger));
    }

    /// <summary>
    /// Open data shows everyone the same aggregates; elsewhere a partner sees its own NGO only (null: every NGO).
    /// </summary>
    private static Guid? PartnerScope(HttpRequest request) =>
        request.Path.StartsWithSegments("/api/v1/public") ? null : request.HttpContext.User.PartnerNgo();

    private static ReportFilter Filter(ReportQuery query, Guid? partnerNgo)
    {
        var errors = new ValidationErrors();
        return ReportFilter.Validate(query, partnerNgo, errors) ?? throw errors.Refusal(ReportFilter.Invalid);
    }
}
