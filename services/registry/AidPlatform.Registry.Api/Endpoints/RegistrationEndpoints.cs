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

/// <summary>Registration certificates under Decree 58/2022/ND-CP: where and until when an NGO may operate.</summary>
public static class RegistrationEndpoints
{
    public static IEndpointRouteBuilder MapRegistrationEndpoints(this IEndpointRouteBuilder routes)
    {
        var ngos = routes.MapGroup("/api/v1/ngos/{id:guid}/registrations").WithTags("Registrations");
        ngos.MapPost("/", RecordRegistration).WithName("RecordRegistration").RequireMinistryOnOwnedObject("NGO", (_, ngo) => Task.FromResult<Guid?>(ngo))
            .WithSummary("Records a certificate: operation at most 3 years, representative office at most 5; a duplicate certificateNumber is a 409.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        ngos.MapGet("/", ListNgoRegistrations).WithName("ListNgoRegistrations")
            .WithSummary("An NGO's certificates, newest first.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        var registrations = routes.MapGroup("/api/v1/registrations").WithTags("Registrations");
        registrations.MapGet("/", ListRegistrations).WithName("ListRegistrations")
            .WithSummary("Certificates, or with expiringWithinDays those in force today (valid or suspended, not revoked) that expire within that many days, soonest first.")
            .ProducesValidationProblem();
        registrations.MapGet("/{id:guid}", GetRegistration).WithName("GetRegistration")
            .WithSummary("One certificate: where a new registration's Location points.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        registrations.MapGet("/{id:guid}/history", ListRegistrationHistory).WithName("ListRegistrationHistory")
            .WithSummary("Every action on a certificate, its recording first, oldest first: the terms before and after, the reason, the day it took effect, and (for the ministry and auditors) who acted.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        CertificateActionEndpoints.Map(registrations);
        return routes;
    }

    internal static async Task<Created<RegistrationDto>> RecordRegistration(
        Guid id, RegistrationRequest request, ClaimsPrincipal user, RegistrationStore registrations, ReferenceData reference, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var registration = RegistrationRules.Validate(request, reference, errors)
            ?? throw errors.Refusal("The certificate does not meet the registration rules.");
        var dto = await registrations.Record(id, registration, CertificateActionEndpoints.ActorOf(user), cancellationToken);
        return TypedResults.Created($"/api/v1/registrations/{dto.Id}", dto);
    }

    internal static async Task<Ok<Paged<RegistrationHistoryDto>>> ListRegistrationHistory(
        Guid id, ClaimsPrincipal user, RegistrationStore registrations,
        [Range(1, 1_000_000)] int? page, [Range(1, PageRequest.MaxPageSize)] int? pageSize, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var paging = PageRequest.From(page, pageSize, errors);
        errors.ThrowIfAny();
        if (await registrations.OwnerOf(id, cancellationToken) is not { } ngo || !user.MaySee(ngo))
        {
            throw new NotFoundException($"Registration {id} does not exist.");
        }

        // Audit actors are the ministry's and auditors' to see (API.md, personal data).
        return TypedResults.Ok(await registrations.History(id, user.PartnerNgo() is null, paging, cancellationToken));
    }

    internal static async Task<Ok<RegistrationDto>> GetRegistration(Guid id, ClaimsPrincipal user, RegistrationStore registrations, CancellationToken cancellationToken)
    {
        var dto = await registrations.Find(id, cancellationToken);
        return TypedResults.Ok(dto is not null && user.MaySee(dto.NgoId) ? dto : throw new NotFoundException($"Registration {id} does not exist."));
    }

    internal static async Task<Ok<Paged<RegistrationDto>>> ListNgoRegistrations(
        Guid id, ClaimsPrincipal user, NgoStore ngos, RegistrationStore registrations,
        [Range(1, 1_000_000)] int? page, [Range(1, PageRequest.MaxPageSize)] int? pageSize, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var paging = PageRequest.From(page, pageSize, errors);
        errors.ThrowIfAny();
        if (!user.MaySee(id) || !await ngos.Exists(id, cancellationToken))
        {
            throw new NotFoundException($"NGO {id} does not exist.");
        }

        return TypedResults.Ok(await registrations.ListForNgo(id, paging, cancellationToken));
    }

    internal static async Task<Ok<Paged<RegistrationDto>>> ListRegistrations(
        ClaimsPrincipal user, RegistrationStore registrations, int? expiringWithinDays,
        [Range(1, 1_000_000)] int? page, [Range(1, PageRequest.MaxPageSize)] int? pageSize, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var paging = PageRequest.From(page, pageSize, errors);
        RegistrationRules.ValidateQuery(expiringWithinDays, errors);
        errors.ThrowIfAny();
        return TypedResults.Ok(await registrations.List(expiringWithinDays, user.PartnerNgo(), paging, cancellationToken));
    }
}
