using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using AidPlatform.Reference;
using AidPlatform.Registry.Api.Data;
using AidPlatform.Registry.Api.Domain;
using AidPlatform.ServiceDefaults;
using AidPlatform.ServiceDefaults.Errors;
using AidPlatform.ServiceDefaults.Http;
using AidPlatform.ServiceDefaults.Security;
using AidPlatform.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AidPlatform.Registry.Api.Endpoints;

/// <summary>Projects: what an NGO runs, where, in which sectors, with what budget and over which period.</summary>
public static class ProjectEndpoints
{
    private const string Refused = "The project does not meet the registration rules.";

    public static IEndpointRouteBuilder MapProjectEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/projects").WithTags("Projects");
        group.MapPost("/", RegisterProject).WithName("RegisterProject").RequireAuthorization(Policies.RecordTransactions)
            .WithSummary("Registers a project: a partner's (for its own NGO) starts as a draft dossier to submit for approval; the ministry's records an approval already given (approved, with approval.decision when sent). Sector and location percentages each sum to 100; the NGO must hold a registration valid on startDate covering every location; policyMarkers (optional) are IATI PolicyMarker codes 1-12 with a PolicySignificance 0-4, each code once.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/", ListProjects).WithName("ListProjects")
            .WithSummary("Projects by NGO, province (current or former code), sector (code or 3-digit category), status and title.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/{id:guid}", GetProject).WithName("GetProject")
            .WithSummary("One project, with its ETag.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{id:guid}", UpdateProject).WithName("UpdateProject").RequireAuthorization(Policies.RecordTransactions)
            .RequireOwnObjectForPartner("Project", (http, id) => http.RequestServices.GetRequiredService<ProjectStore>().OwnerOf(id, http.RequestAborted))
            .WithSummary("Replaces a project's details under the same rules: a partner while its dossier is a draft, the ministry in any state but a final one (409 otherwise). approval is read-only here. If-Match with a stale ETag is a 412.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/{id:guid}/overlaps", ListOverlaps).WithName("ListProjectOverlaps")
            .WithSummary("Other NGOs' projects sharing a province and a sector category over an overlapping period.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    internal static async Task<Created<ProjectDto>> RegisterProject(
        ProjectRequest request, ClaimsPrincipal user, HttpResponse response, ProjectStore projects, ReferenceData reference, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var writer = new ProjectWriter(user.PartnerNgo());
        // A partner's dossier has no decision yet: what it sends as approval is read-only.
        var decision = writer.IsPartner ? null : request.Approval?.Decision;
        ApprovalRules.CheckDecision(decision, VietnamTime.Today, errors, "approval.decision.");
        var project = ProjectRules.Validate(request, reference, errors) ?? throw errors.Refusal(Refused);
        errors.ThrowIfAny(Refused);
        var dto = await projects.Register(project, decision, writer, ApprovalEndpoints.ActorOf(user), cancellationToken);
        response.Headers.ETag = ETags.For(dto.Version);
        return TypedResults.Created($"/api/v1/projects/{dto.Id}", dto);
    }

    internal static async Task<Ok<ProjectDto>> UpdateProject(
        Guid id, ProjectRequest request, ClaimsPrincipal user, HttpRequest http, HttpResponse response, ProjectStore projects, ReferenceData reference, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var project = ProjectRules.Validate(request, reference, errors) ?? throw errors.Refusal(Refused);
        var dto = await projects.Update(id, project, ETags.ExpectedVersion(http), new ProjectWriter(user.PartnerNgo()), cancellationToken);
        response.Headers.ETag = ETags.For(dto.Version);
        return TypedResults.Ok(dto);
    }

    internal static async Task<Ok<ProjectDto>> GetProject(Guid id, ClaimsPrincipal user, HttpResponse response, ProjectStore projects, CancellationToken cancellationToken)
    {
        var dto = await projects.Find(id, cancellationToken) is { } found && user.MaySee(found.NgoId) ? found : throw new NotFoundException($"Project {id} does not exist.");
        response.Headers.ETag = ETags.For(dto.Version);
        return TypedResults.Ok(dto);
    }

    internal static async Task<Ok<Paged<ProjectDto>>> ListProjects(
        ClaimsPrincipal user, ProjectStore projects, ReferenceData reference, Guid? ngoId, string? provinceCode, string? sector, [ProjectStatus] string? status, string? q,
        [Range(1, 1_000_000)] int? page, [Range(1, PageRequest.MaxPageSize)] int? pageSize, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var paging = PageRequest.From(page, pageSize, errors);
        var filter = ProjectRules.ValidateQuery(new ProjectQuery(ngoId, provinceCode, sector, status, q), user.PartnerNgo(), reference, errors);
        errors.ThrowIfAny();
        return TypedResults.Ok(await projects.List(filter!, paging, cancellationToken));
    }

    internal static async Task<Ok<Paged<OverlapDto>>> ListOverlaps(
        Guid id, ClaimsPrincipal user, ProjectStore projects, [Range(1, 1_000_000)] int? page, [Range(1, PageRequest.MaxPageSize)] int? pageSize, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var paging = PageRequest.From(page, pageSize, errors);
        errors.ThrowIfAny();
        if (await projects.OwnerOf(id, cancellationToken) is not { } ngo || !user.MaySee(ngo))
        {
            throw new NotFoundException($"Project {id} does not exist.");
        }

        return TypedResults.Ok(await projects.Overlaps(id, paging, cancellationToken));
    }
}
