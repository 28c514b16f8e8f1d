using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using AidPlatform.Registry.Api.Data;
using AidPlatform.Registry.Api.Domain;
using AidPlatform.ServiceDefaults.Errors;
using AidPlatform.ServiceDefaults.Http;
using AidPlatform.ServiceDefaults.Security;
using AidPlatform.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AidPlatform.Registry.Api.Endpoints;

/// <summary>Foreign NGOs: who they are. Their status is derived from their registration certificates.</summary>
public static class NgoEndpoints
{
    private const string Refused = "The NGO was refused; nothing was written.";

    public static IEndpointRouteBuilder MapNgoEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/ngos").WithTags("NGOs");
        group.MapPost("/", RegisterNgo).WithName("RegisterNgo").RequireAuthorization(Policies.Ministry)
            .WithSummary("Enters an NGO. A duplicate iatiOrgRef, or the same name and country, is a 409.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/", ListNgos).WithName("ListNgos")
            .WithSummary("NGOs by name (case and diacritics ignored), country and status.")
            .ProducesValidationProblem();
        group.MapGet("/{id:guid}", GetNgo).WithName("GetNgo")
            .WithSummary("One NGO, with its ETag.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{id:guid}", UpdateNgo).WithName("UpdateNgo").RequireMinistryOnOwnedObject("NGO", (_, ngo) => Task.FromResult<Guid?>(ngo))
            .WithSummary("Replaces an NGO's details. If-Match with a stale ETag is a 412.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return routes;
    }

    internal static async Task<Created<NgoDto>> RegisterNgo(NgoRequest request, HttpResponse response, NgoStore ngos, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var ngo = NgoRules.Validate(request, errors) ?? throw errors.Refusal(Refused);
        var dto = await ngos.Register(ngo, cancellationToken);
        response.Headers.ETag = ETags.For(dto.Version);
        return TypedResults.Created($"/api/v1/ngos/{dto.Id}", dto);
    }

    internal static async Task<Ok<Paged<NgoDto>>> ListNgos(
        ClaimsPrincipal user, NgoStore ngos, string? q, string? country, [NgoStatus] string? status,
        [Range(1, 1_000_000)] int? page, [Range(1, PageRequest.MaxPageSize)] int? pageSize, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var paging = PageRequest.From(page, pageSize, errors);
        var query = new NgoQuery(q, country, status, user.PartnerNgo());
        NgoRules.ValidateQuery(query, errors);
        errors.ThrowIfAny();
        return TypedResults.Ok(await ngos.List(query, paging, cancellationToken));
    }

    internal static async Task<Ok<NgoDto>> GetNgo(Guid id, ClaimsPrincipal user, HttpResponse response, NgoStore ngos, CancellationToken cancellationToken)
    {
        var dto = (user.MaySee(id) ? await ngos.Find(id, cancellationToken) : null) ?? throw new NotFoundException($"NGO {id} does not exist.");
        response.Headers.ETag = ETags.For(dto.Version);
        return TypedResults.Ok(dto);
    }

    internal static async Task<Ok<NgoDto>> UpdateNgo(
        Guid id, NgoRequest request, HttpRequest http, HttpResponse response, NgoStore ngos, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var ngo = NgoRules.Validate(request, errors) ?? throw errors.Refusal(Refused);
        var dto = await ngos.Update(id, ngo, ETags.ExpectedVersion(http), cancellationToken);
        response.Headers.ETag = ETags.For(dto.Version);
        return TypedResults.Ok(dto);
    }
}
