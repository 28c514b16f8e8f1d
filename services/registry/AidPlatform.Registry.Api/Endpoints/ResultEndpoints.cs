using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using AidPlatform.Reference;
using AidPlatform.Registry.Api.Data;
using AidPlatform.Registry.Api.Domain;
using AidPlatform.ServiceDefaults.Errors;
using AidPlatform.ServiceDefaults.Http;
using AidPlatform.ServiceDefaults.Security;
using AidPlatform.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AidPlatform.Registry.Api.Endpoints;

/// <summary>
/// Projects' results (IATI 2.03): outputs, outcomes and impacts with their indicators, baselines, targets and actuals.
/// The ministry writes any; a partner its own NGO's (another NGO's project or result answers 404); an auditor reads only.
/// </summary>
public static class ResultEndpoints
{
    private const string Refused = "The result does not meet the IATI results rules; nothing was written.";

    public static IEndpointRouteBuilder MapResultEndpoints(this IEndpointRouteBuilder routes)
    {
        var projects = routes.MapGroup("/api/v1/projects/{id:guid}/results").WithTags("Results");
        projects.MapPost("/", RecordResult).WithName("RecordResult").RequireAuthorization(Policies.RecordTransactions)
            .RequireOwnObjectForPartner("Project", (http, id) => http.RequestServices.GetRequiredService<ProjectStore>().OwnerOf(id, http.RequestAborted))
            .WithSummary("Records a result of the project with its indicators. Periods lie within the project's dates, provinces among its locations; quantitative measures need values, qualitative ones take comments only.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        projects.MapGet("/", ListProjectResults).WithName("ListProjectResults")
            .WithSummary("A project's results, oldest first.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        var results = routes.MapGroup("/api/v1/results").WithTags("Results");
        results.MapGet("/{id:guid}", GetResult).WithName("GetResult")
            .WithSummary("One result, with its ETag: where a new result's Location points.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        results.MapPut("/{id:guid}", UpdateResult).WithName("UpdateResult").RequireAuthorization(Policies.RecordTransactions)
            .RequireOwnObjectForPartner("Result", (http, id) => http.RequestServices.GetRequiredService<ResultStore>().OwnerOf(id, http.RequestAborted))
            .WithSummary("Replaces a result's full state under the same rules. If-Match is required (428 without it, 412 if stale or weak).")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return routes;
    }

    internal static async Task<Created<ResultDto>> RecordResult(
        Guid id, ResultRequest request, ClaimsPrincipal user, HttpResponse response, ResultStore results, ReferenceData reference, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var result = ResultRules.Validate(request, reference, errors) ?? throw errors.Refusal(Refused);
        var dto = await results.Record(id, result, user.PartnerNgo(), cancellationToken);
        response.Headers.ETag = ETags.For(dto.Version);
        return TypedResults.Created($"/api/v1/results/{dto.Id}", dto);
    }

    internal static async Task<Ok<ResultDto>> UpdateResult(
        Guid id, ResultRequest request, ClaimsPrincipal user, HttpRequest http, HttpResponse response, ResultStore results, ReferenceData reference,
        CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var result = ResultRules.Validate(request, reference, errors) ?? throw errors.Refusal(Refused);
        var dto = await results.Update(id, result, ETags.ExpectedVersion(http), user.PartnerNgo(), cancellationToken);
        response.Headers.ETag = ETags.For(dto.Version);
        return TypedResults.Ok(dto);
    }

    internal static async Task<Ok<ResultDto>> GetResult(Guid id, ClaimsPrincipal user, HttpResponse response, ResultStore results, CancellationToken cancellationToken)
    {
        var dto = await results.Find(id, cancellationToken) is { } found && user.MaySee(found.NgoId) ? found : throw new NotFoundException($"Result {id} does not exist.");
        response.Headers.ETag = ETags.For(dto.Version);
        return TypedResults.Ok(dto);
    }

    internal static async Task<Ok<Paged<ResultDto>>> ListProjectResults(
        Guid id, ClaimsPrincipal user, ProjectStore projects, ResultStore results,
        [Range(1, 1_000_000)] int? page, [Range(1, PageRequest.MaxPageSize)] int? pageSize, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var paging = PageRequest.From(page, pageSize, errors);
        errors.ThrowIfAny();
        if (await projects.OwnerOf(id, cancellationToken) is not { } ngo || !user.MaySee(ngo))
        {
            throw new NotFoundException($"Project {id} does not exist.");
        }

        return TypedResults.Ok(await results.ListForProject(id, paging, cancellationToken));
    }
}
