using System.ComponentModel.DataAnnotations;
using AidPlatform.Reporting.Api.Data;
using AidPlatform.Reporting.Api.Domain;
using AidPlatform.ServiceDefaults.Security;
using AidPlatform.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AidPlatform.Reporting.Api.Endpoints;

/// <summary>The results framework in figures: the projects' indicators summed by SDG indicator code.</summary>
public static class IndicatorReportEndpoints
{
    public static IEndpointRouteBuilder MapIndicatorReportEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGroup("/api/v1/reports").WithTags("Reports")
            .MapGet("/indicators", GetIndicators).WithName("GetIndicatorReport")
            .WithSummary("Baseline, target, actual and achievement per SDG indicator code (IATI vocabulary 9) and measure, summed over unit indicators only, with the contributing projects. year selects periods by their end date; provinceCode periods in that province, or without one in a project there.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return routes;
    }

    internal static async Task<Ok<IndicatorReport>> GetIndicators(
        HttpRequest request, IndicatorQueries indicators, [RegularExpression(IndicatorQuery.SdgPattern)] string? reference, Guid? ngoId, string? provinceCode,
        [Range(IndicatorQuery.FirstYear, IndicatorQuery.LastYear)] int? year, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var partnerNgo = request.HttpContext.User.PartnerNgo();
        var filter = ReportFilter.Validate(new(null, null, ngoId, null, provinceCode, null, null), partnerNgo, errors);
        var query = IndicatorQuery.Validate(reference, year, errors);
        if (filter is null || query is null)
        {
            throw errors.Refusal(ReportFilter.Invalid);
        }

        return TypedResults.Ok(await indicators.GetReport(query, filter, partnerNgo, cancellationToken));
    }
}
