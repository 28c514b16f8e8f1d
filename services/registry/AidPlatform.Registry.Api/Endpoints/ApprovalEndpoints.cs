using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using AidPlatform.Registry.Api.Data;
using AidPlatform.Registry.Api.Domain;
using AidPlatform.ServiceDefaults;
using AidPlatform.ServiceDefaults.Errors;
using AidPlatform.ServiceDefaults.Http;
using AidPlatform.ServiceDefaults.Security;
using AidPlatform.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AidPlatform.Registry.Api.Endpoints;

/// <summary>The approval of aid projects (Decree 80/2020, replaced by Decree 313/2025): its actions, history and the ministry's worklist.</summary>
public static class ApprovalEndpoints
{
    public static IEndpointRouteBuilder MapApprovalEndpoints(this IEndpointRouteBuilder routes)
    {
        var projects = routes.MapGroup("/api/v1/projects/{id:guid}/approval").WithTags("Approval");
        projects.MapPost("/{action}", Act).WithName("ActOnProjectApproval")
            .RequireAuthorization(Policies.RecordTransactions)
            .RequireOwnObjectForPartner("Project", (http, id) => http.RequestServices.GetRequiredService<ProjectStore>().OwnerOf(id, http.RequestAborted))
            .WithSummary($"Takes an approval action ({string.Join(", ", ApprovalMachine.Actions)}) and answers the new approval. " +
                "An action the table of API.md does not allow from the project's state or for the caller's role, or approve/refuse by whoever concluded the appraisal, is a 409 naming the rule; " +
                "return needs a reason, approve a decision { number, date, authority } (422). If-Match is optional; a stale one is a 412.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        projects.MapGet("/history", History).WithName("GetProjectApprovalHistory")
            .WithSummary("Every transition of the project's approval, oldest first: action, from, to, actor { subject, role, ngoId }, at, reason, decision, documents.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        routes.MapGet("/api/v1/approvals", List).WithTags("Approval").WithName("ListApprovals")
            .WithSummary("Projects by approval state; overdue=true lists the dossiers past their dueBy (the appraisal limit from submission, in calendar or working days as configured), most overdue first.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    internal static async Task<Ok<ApprovalDto>> Act(
        Guid id, string action, ApprovalActionRequest? request, ClaimsPrincipal user, HttpRequest http, HttpResponse response,
        ApprovalStore approvals, CancellationToken cancellationToken)
    {
        request ??= new ApprovalActionRequest();
        var errors = new ValidationErrors();
        ApprovalRules.CheckDecision(request.Decision, VietnamTime.Today, errors, "decision.");
        errors.ThrowIfAny("The approval action's details are not valid.");
        var (approval, version) = await approvals.Act(id, action, request, ActorOf(user), ETags.ExpectedVersion(http), cancellationToken);
        response.Headers.ETag = ETags.For(version);
        return TypedResults.Ok(approval);
    }

    internal static async Task<Ok<Paged<ApprovalTransitionDto>>> History(
        Guid id, ClaimsPrincipal user, ApprovalStore approvals,
        [Range(1, 1_000_000)] int? page, [Range(1, PageRequest.MaxPageSize)] int? pageSize, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var paging = PageRequest.From(page, pageSize, errors);
        errors.ThrowIfAny();
        return TypedResults.Ok(await approvals.History(id, user.PartnerNgo(), paging, cancellationToken) ?? throw new NotFoundException($"Project {id} does not exist."));
    }

    internal static async Task<Ok<Paged<ApprovalListItem>>> List(
        ClaimsPrincipal user, ApprovalStore approvals, [ApprovalState] string? state, bool? overdue, Guid? ngoId,
        [Range(1, 1_000_000)] int? page, [Range(1, PageRequest.MaxPageSize)] int? pageSize, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var paging = PageRequest.From(page, pageSize, errors);
        errors.ThrowIfAny();
        if (ngoId is { } ngo && !user.MaySee(ngo))
        {
            throw new NotFoundException($"NGO {ngo} does not exist.");
        }

        return TypedResults.Ok(await approvals.List(state, overdue, ngoId, user.PartnerNgo(), paging, cancellationToken));
    }

    /// <summary>Who acts, from the token: its subject, its role, and a partner's NGO.</summary>
    internal static ApprovalActor ActorOf(ClaimsPrincipal user) => new(
        user.Identity?.Name ?? "",
        user.IsInRole(Roles.Ministry) ? Roles.Ministry : user.IsInRole(Roles.Partner) ? Roles.Partner : Roles.Auditor,
        user.PartnerNgo());
}
