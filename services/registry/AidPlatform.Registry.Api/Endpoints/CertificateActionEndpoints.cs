using System.Security.Claims;
using AidPlatform.Reference;
using AidPlatform.Registry.Api.Data;
using AidPlatform.Registry.Api.Domain;
using AidPlatform.ServiceDefaults;
using AidPlatform.ServiceDefaults.Errors;
using AidPlatform.ServiceDefaults.Security;
using AidPlatform.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AidPlatform.Registry.Api.Endpoints;

/// <summary>
/// A certificate over its life (Decree 58/2022/ND-CP, Art. 7-9): <c>POST /registrations/{id}/{action}</c>, the
/// ministry's. Each action is an operation of its own, so that its body has its own schema.
/// </summary>
internal static class CertificateActionEndpoints
{
    private const string Refused = "The action was refused; nothing was written.";

    public static void Map(RouteGroupBuilder registrations)
    {
        Action(registrations.MapPost("/{id:guid}/amend", Amend).WithName("AmendRegistration")
            .WithSummary("Amends a certificate's provinces, sector categories or both (each as when recording), from valid or suspended."));
        Action(registrations.MapPost("/{id:guid}/extend", Extend).WithName("ExtendRegistration")
            .WithSummary("Extends a certificate, from valid or suspended: the new expiresOn is later than the current one and at most the kind's term (operation 3 years, representative office 5) from effectiveOn."));
        Action(registrations.MapPost("/{id:guid}/suspend", Suspend).WithName("SuspendRegistration")
            .WithSummary("Suspends a valid certificate from effectiveOn."));
        Action(registrations.MapPost("/{id:guid}/reinstate", Reinstate).WithName("ReinstateRegistration")
            .WithSummary("Reinstates a suspended certificate from effectiveOn (not before the suspension began), closing the suspension."));
        Action(registrations.MapPost("/{id:guid}/revoke", Revoke).WithName("RevokeRegistration")
            .WithSummary("Revokes a valid or suspended certificate from effectiveOn; final."));
        // Any other action names nothing: a 404 listing those there are (not an operation of the document).
        registrations.MapPost("/{id:guid}/{action}", (string action) => UnknownAction(action)).ExcludeFromDescription();
    }

    private static void Action(RouteHandlerBuilder builder) =>
        builder.RequireMinistryOnOwnedObject("Registration", (http, id) => http.RequestServices.GetRequiredService<RegistrationStore>().OwnerOf(id, http.RequestAborted))
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);

    internal static Task<Ok<RegistrationDto>> Amend(Guid id, AmendRegistrationRequest request, ClaimsPrincipal user, RegistrationStore registrations,
        ReferenceData reference, CancellationToken cancellationToken) =>
        Act(id, errors => CertificateLife.Validate(request, reference, VietnamTime.Today, errors), user, registrations, cancellationToken);

    internal static Task<Ok<RegistrationDto>> Extend(Guid id, ExtendRegistrationRequest request, ClaimsPrincipal user, RegistrationStore registrations,
        CancellationToken cancellationToken) =>
        Act(id, errors => CertificateLife.Validate(request, VietnamTime.Today, errors), user, registrations, cancellationToken);

    internal static Task<Ok<RegistrationDto>> Suspend(Guid id, CertificateActionRequest request, ClaimsPrincipal user, RegistrationStore registrations,
        CancellationToken cancellationToken) =>
        Act(id, errors => CertificateLife.Validate(CertificateLife.Suspend, request, VietnamTime.Today, errors), user, registrations, cancellationToken);

    internal static Task<Ok<RegistrationDto>> Reinstate(Guid id, CertificateActionRequest request, ClaimsPrincipal user, RegistrationStore registrations,
        CancellationToken cancellationToken) =>
        Act(id, errors => CertificateLife.Validate(CertificateLife.Reinstate, request, VietnamTime.Today, errors), user, registrations, cancellationToken);

    internal static Task<Ok<RegistrationDto>> Revoke(Guid id, CertificateActionRequest request, ClaimsPrincipal user, RegistrationStore registrations,
        CancellationToken cancellationToken) =>
        Act(id, errors => CertificateLife.Validate(CertificateLife.Revoke, request, VietnamTime.Today, errors), user, registrations, cancellationToken);

    /// <summary>Who is calling, as the history records it.</summary>
    internal static Actor ActorOf(ClaimsPrincipal user) =>
        new(user.Identity?.Name, user.FindFirst("role")?.Value, user.PartnerNgo());

    private static async Task<Ok<RegistrationDto>> Act(Guid id, Func<ValidationErrors, CertificateChange?> validate, ClaimsPrincipal user,
        RegistrationStore registrations, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var change = validate(errors) ?? throw errors.Refusal(Refused);
        return TypedResults.Ok(await registrations.Act(id, change, ActorOf(user), cancellationToken));
    }

    private static IResult UnknownAction(string action) =>
        throw new NotFoundException($"A certificate has no action '{action}': its actions are {string.Join(", ", CertificateLife.Actions)}.");
}
