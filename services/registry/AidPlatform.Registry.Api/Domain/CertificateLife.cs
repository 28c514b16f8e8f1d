using AidPlatform.Reference;
using AidPlatform.ServiceDefaults.Errors;
using AidPlatform.ServiceDefaults.Validation;

namespace AidPlatform.Registry.Api.Domain;

/// <summary>
/// A registration certificate over its life (Decree 58/2022/ND-CP, Art. 7-9): which action is allowed from which
/// status, the dates an action may take effect on, and the state it leaves. An action is recorded once it has taken
/// effect: <c>effectiveOn</c> may lie in the past (not before <c>issuedOn</c>, not after the expiry), never after
/// today in Vietnam, so the stored status is always the status today and no future change waits to be applied.
/// </summary>
public static class CertificateLife
{
    public const string Valid = "valid";
    public const string Suspended = "suspended";
    public const string Revoked = "revoked";
    public static readonly IReadOnlyList<string> Statuses = [Valid, Suspended, Revoked];

    public const string Suspension = "suspension";
    public const string Revocation = "revocation";
    public static readonly IReadOnlyList<string> InterruptionKinds = [Suspension, Revocation];

    /// <summary>The history's first entry; not an action one can take.</summary>
    public const string Record = "record";
    public const string Amend = "amend";
    public const string Extend = "extend";
    public const string Suspend = "suspend";
    public const string Reinstate = "reinstate";
    public const string Revoke = "revoke";
    public static readonly IReadOnlyList<string> Actions = [Amend, Extend, Suspend, Reinstate, Revoke];

    /// <summary>
    /// The statuses each action is allowed from. Amending or extending a suspended certificate changes its paper, not
    /// its suspension; a revoked certificate is final.
    /// </summary>
    private static readonly Dictionary<string, string[]> AllowedFrom = new(StringComparer.Ordinal)
    {
        [Amend] = [Valid, Suspended],
        [Extend] = [Valid, Suspended],
        [Suspend] = [Valid],
        [Reinstate] = [Suspended],
        [Revoke] = [Valid, Suspended],
    };

    /// <summary>suspend, reinstate, revoke: a reason and the day it takes effect.</summary>
    public static CertificateChange? Validate(string action, CertificateActionRequest request, DateOnly today, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Common(action, request.Reason, request.EffectiveOn, today, errors);
    }

    /// <summary>amend: new provinces, sector categories or both, checked as when recording.</summary>
    public static CertificateChange? Validate(AmendRegistrationRequest request, ReferenceData reference, DateOnly today, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(errors);
        var before = errors.Count;
        var change = Common(Amend, request.Reason, request.EffectiveOn, today, errors);
        if (request.ProvinceCodes is null && request.SectorCategories is null)
        {
            const string message = "amend changes provinceCodes, sectorCategories or both: send at least one.";
            errors.Add("provinceCodes", message);
            errors.Add("sectorCategories", message);
            return null;
        }

        (string[] Given, string[] Current)? provinces = null;
        if (request.ProvinceCodes is { } codes && errors.Require(codes.Count is > 0 and <= 100, "provinceCodes", "provinceCodes must list 1 to 100 province codes."))
        {
            provinces = RegistrationRules.Provinces(codes, reference, errors, "provinceCodes");
        }

        string[]? categories = null;
        if (request.SectorCategories is { } sectors
            && errors.Require(sectors.Count is > 0 and <= 100, "sectorCategories", "sectorCategories must list 1 to 100 DAC 3-digit categories."))
        {
            categories = RegistrationRules.Categories(sectors, reference, errors, "sectorCategories");
        }

        return errors.Count > before ? null : change! with
        {
            ProvinceCodes = provinces?.Given, CurrentProvinceCodes = provinces?.Current, SectorCategories = categories,
        };
    }

    /// <summary>extend: the new expiry; how far it may reach depends on the certificate (<see cref="Apply"/>).</summary>
    public static CertificateChange? Validate(ExtendRegistrationRequest request, DateOnly today, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(errors);
        var before = errors.Count;
        var change = Common(Extend, request.Reason, request.EffectiveOn, today, errors);
        if (errors.Require(request.ExpiresOn is not null, "expiresOn", "expiresOn is required (YYYY-MM-DD): the new expiry."))
        {
            errors.Require(PlausibleDates.Contains(request.ExpiresOn!.Value), "expiresOn", "expiresOn " + PlausibleDates.Message);
        }

        return errors.Count > before ? null : change! with { ExpiresOn = request.ExpiresOn };
    }

    /// <summary>
    /// The certificate after <paramref name="change"/>: a 409 naming the rule when its status does not allow the
    /// action, a 422 on <c>effectiveOn</c> or <c>expiresOn</c> when the dates do not fit the certificate.
    /// </summary>
    public static CertificateState Apply(CertificateState current, CertificateChange change)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(change);
        var allowed = AllowedFrom[change.Action];
        if (!allowed.Contains(current.Status))
        {
            throw new ConflictException($"{change.Action} is allowed from {string.Join(" or ", allowed)}; the certificate is {current.Status}.");
        }

        var errors = new ValidationErrors();
        var effective = change.EffectiveOn;
        errors.Require(effective >= current.IssuedOn, "effectiveOn", $"effectiveOn must not be before the certificate's issuedOn ({current.IssuedOn:yyyy-MM-dd}).");
        errors.Require(effective <= current.ExpiresOn, "effectiveOn",
            $"effectiveOn must not be after the certificate's expiresOn ({current.ExpiresOn:yyyy-MM-dd}): it had ended by then.");
        if (change.Action is Suspend or Reinstate or Revoke && LastBoundary(current.Interruptions) is { } boundary)
        {
            // Interruptions follow one another: a change of validity never takes effect before the last one did.
            errors.Require(effective >= boundary, "effectiveOn",
                $"effectiveOn must not be before {boundary:yyyy-MM-dd}, when the certificate's validity last changed.");
        }

        if (change.Action == Extend)
        {
            var expires = change.ExpiresOn!.Value;
            var years = RegistrationRules.MaxYears(current.Kind);
            errors.Require(expires > current.ExpiresOn, "expiresOn", $"expiresOn must be after the current expiry ({current.ExpiresOn:yyyy-MM-dd}).");
            // An extension is a renewal: the new term, counted from the day it takes effect, is at most the kind's
            // maximum (3 years for an operation certificate, 5 for a representative office), the limit of a new certificate.
            errors.Require(expires <= effective.AddYears(years), "expiresOn",
                $"An extended {current.Kind} certificate runs at most {years} years from the day the extension takes effect ({effective.AddYears(years):yyyy-MM-dd}; Decree 58/2022/ND-CP).");
        }

        errors.ThrowIfAny($"The {change.Action} does not fit the certificate's dates; nothing was written.");
        return change.Action switch
        {
            Amend => current with
            {
                Terms = current.Terms with
                {
                    ProvinceCodes = change.ProvinceCodes ?? current.Terms.ProvinceCodes,
                    CurrentProvinceCodes = change.CurrentProvinceCodes ?? current.Terms.CurrentProvinceCodes,
                    SectorCategories = change.SectorCategories ?? current.Terms.SectorCategories,
                },
            },
            Extend => current with { ExpiresOn = change.ExpiresOn!.Value, Terms = current.Terms with { ExpiresOn = change.ExpiresOn!.Value } },
            Suspend => current with { Status = Suspended, Interruptions = [.. current.Interruptions, new InterruptionDto(Suspension, effective, null)] },
            Reinstate => current with { Status = Valid, Interruptions = CloseSuspension(current.Interruptions, effective) },
            Revoke => current with
            {
                Status = Revoked,
                Interruptions = [.. CloseSuspension(current.Interruptions, effective), new InterruptionDto(Revocation, effective, null)],
            },
            _ => throw new ArgumentOutOfRangeException(nameof(change), change.Action, "Not an action on a certificate."),
        };
    }

    /// <summary>The day the certificate's validity last changed: the end of its last interruption, or its start if still open.</summary>
    public static DateOnly? LastBoundary(IReadOnlyList<InterruptionDto> interruptions)
    {
        ArgumentNullException.ThrowIfNull(interruptions);
        return interruptions.Count == 0 ? null : interruptions.Max(i => i.Until ?? i.From);
    }

    private static List<InterruptionDto> CloseSuspension(IReadOnlyList<InterruptionDto> interruptions, DateOnly until) =>
        interruptions.Select(i => i is { Kind: Suspension, Until: null } ? i with { Until = until } : i).ToList();

    private static CertificateChange? Common(string action, string? reason, DateOnly? effectiveOn, DateOnly today, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var before = errors.Count;
        var text = reason?.Trim();
        errors.Require(!string.IsNullOrEmpty(text) && text.Length <= 2000, "reason", "reason is required, 2000 characters or fewer.");
        if (errors.Require(effectiveOn is not null, "effectiveOn", "effectiveOn is required (YYYY-MM-DD): the day the action takes effect."))
        {
            errors.Require(PlausibleDates.Contains(effectiveOn!.Value), "effectiveOn", "effectiveOn " + PlausibleDates.Message);
            errors.Require(effectiveOn.Value <= today, "effectiveOn",
                $"effectiveOn must not be after today ({today:yyyy-MM-dd} in Vietnam): an action is recorded once it has taken effect.");
        }

        return errors.Count > before ? null : new CertificateChange(action, text!, effectiveOn!.Value);
    }
}
