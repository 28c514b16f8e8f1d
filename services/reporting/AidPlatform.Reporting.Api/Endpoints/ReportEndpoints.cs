using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;
using AidPlatform.Reporting.Api.Data;
using AidPlatform.Reporting.Api.Domain;
using AidPlatform.ServiceDefaults;
using AidPlatform.ServiceDefaults.Errors;
using System.Security.Claims;
using AidPlatform.ServiceDefaults.Http;
using AidPlatform.ServiceDefaults.Security;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Net.Http.Headers;
using Npgsql;

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
            .WithSummary("Amounts by province, sector, sectorCategory, ngo, country, year, month, type or project; rows sum exactly to the total. Accept: text/csv for CSV.")
            .Produces<Breakdown>(contentType: "application/json").Produces<string>(contentType: "text/csv")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/projects/{id:guid}", GetProjectReport).WithName("GetProjectReport")
            .WithSummary("A project's budget in USD, what was committed and disbursed against it, and its absorption rate.")
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

    public sealed record ProjectReport(Guid ProjectId, decimal? BudgetUsd, string? BudgetFxRateMonth, decimal CommittedUsd, decimal DisbursedUsd, decimal? AbsorptionRate);

    public sealed record LedgerSide(DisbursementClient.ByType ByType, long Count);

    public sealed record Reconciliation(bool Consistent, LedgerSide Reporting, LedgerSide Ledger);

    internal static async Task<Ok<Summary>> GetSummary(
        HttpRequest request, NpgsqlDataSource db, DateOnly? from, DateOnly? to, Guid? ngoId, Guid? projectId, string? provinceCode, string? sector,
        [AllowedValues("commitment", "disbursement", "expenditure")] string? type, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var filter = await ReportFilter.Parse(connection, request.HttpContext.User, IsOpenData(request), new(from, to, ngoId, projectId, provinceCode, sector, type));
        return TypedResults.Ok(await ReportQueries.GetSummary(connection, filter));
    }

    internal static async Task<Results<Ok<Breakdown>, ContentHttpResult>> GetBreakdown(
        HttpRequest request, HttpResponse response, NpgsqlDataSource db,
        [AllowedValues("province", "sector", "sectorCategory", "ngo", "country", "year", "month", "type", "project")] string? by,
        DateOnly? from, DateOnly? to, Guid? ngoId, Guid? projectId, string? provinceCode, string? sector,
        [AllowedValues("commitment", "disbursement", "expenditure")] string? type, CancellationToken cancellationToken)
    {
        if (by is null)
        {
            throw new UnprocessableException("by is required.") { Errors = new Dictionary<string, string[]> { ["by"] = [$"by is required: one of {string.Join(", ", ReportQueries.Dimensions)}."] } };
        }

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var filter = await ReportFilter.Parse(connection, request.HttpContext.User, IsOpenData(request), new(from, to, ngoId, projectId, provinceCode, sector, type));
        var breakdown = await ReportQueries.GetBreakdown(connection, by, filter);
        if (!ContentNegotiation.Prefers(request, "text/csv"))
        {
            return TypedResults.Ok(breakdown);
        }

        var today = VietnamTime.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        response.Headers.ContentDisposition = $"attachment; filename=\"breakdown-{by}-{today}.csv\"";
        return TypedResults.Text(ToCsv(breakdown), "text/csv; charset=utf-8");
    }

    internal static async Task<Ok<ProjectReport>> GetProjectReport(Guid id, ClaimsPrincipal user, NpgsqlDataSource db, DisbursementClient disbursement, CancellationToken cancellationToken)
    {
        const string sql = """
            select p.ngo_id, p.budget_amount, p.budget_currency, p.start_date,
                   coalesce((select sum(amount_usd) from transactions where project_id = p.id and type = 'commitment'), 0) as committed_usd,
                   coalesce((select sum(amount_usd) from transactions where project_id = p.id and type = 'disbursement'), 0) as disbursed_usd
            from projects p where p.id = @id
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var project = await connection.QuerySingleOrDefaultAsync<ProjectRow>(sql, new { id }) is { } found && user.MaySee(found.NgoId)
            ? found
            : throw new NotFoundException($"Project {id} has not been reported.");

        // The budget is converted at its start month's rate, with the ledger's 3-month fallback.
        var rate = project.BudgetCurrency == "USD"
            ? (1m, project.StartDate.ToString("yyyy-MM", CultureInfo.InvariantCulture))
            : await disbursement.GetRate(project.BudgetCurrency, project.StartDate, cancellationToken);
        decimal? budgetUsd = rate is { } r ? Math.Round(project.BudgetAmount / r.Item1, 2, MidpointRounding.AwayFromZero) : null;
        decimal? absorption = budgetUsd is > 0 ? Math.Round(project.DisbursedUsd / budgetUsd.Value, 4, MidpointRounding.AwayFromZero) : null;
        return TypedResults.Ok(new ProjectReport(id, budgetUsd, rate?.Item2, project.CommittedUsd, project.DisbursedUsd, absorption));
    }

    internal static async Task<Ok<Reconciliation>> GetReconciliation(NpgsqlDataSource db, DisbursementClient disbursement, CancellationToken cancellationToken)
    {
        var ledger = await disbursement.GetTotals(null, null, cancellationToken);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var own = await ReportQueries.GetLedgerTotals(connection, null, null);
        var reporting = new LedgerSide(new DisbursementClient.ByType(own.CommittedUsd, own.DisbursedUsd, own.ExpenditureUsd), own.TransactionCount);
        var ledgerSide = new LedgerSide(ledger.ByType, ledger.Count);
        return TypedResults.Ok(new Reconciliation(reporting == ledgerSide, reporting, ledgerSide));
    }

    private static bool IsOpenData(HttpRequest request) => request.Path.StartsWithSegments("/api/v1/public");

    private static string ToCsv(Breakdown breakdown)
    {
        var csv = new StringBuilder("key,label,committedUsd,disbursedUsd,expenditureUsd,transactionCount\n");
        foreach (var row in breakdown.Rows)
        {
            csv.Append(Field(row.Key)).Append(',').Append(Field(row.Label)).Append(',')
               .Append(row.CommittedUsd.ToString(CultureInfo.InvariantCulture)).Append(',')
               .Append(row.DisbursedUsd.ToString(CultureInfo.InvariantCulture)).Append(',')
               .Append(row.ExpenditureUsd.ToString(CultureInfo.InvariantCulture)).Append(',')
               .Append(row.TransactionCount.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        return csv.ToString();
    }

    /// <summary>RFC 4180 quoting; a leading =, +, - or @ is prefixed so spreadsheets do not run it as a formula.</summary>
    private static string Field(string value)
    {
        if (value.Length > 0 && "=+-@".Contains(value[0], StringComparison.Ordinal))
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny("\",\n\r") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
    }

    private sealed record ProjectRow(Guid NgoId, decimal BudgetAmount, string BudgetCurrency, DateOnly StartDate, decimal CommittedUsd, decimal DisbursedUsd);
}
