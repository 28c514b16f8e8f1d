using System.ComponentModel.DataAnnotations;

namespace AidPlatform.Registry.Api.Domain;

public sealed record RegistrationRequest([property: Required, RegistrationKind] string? Kind,
    [property: Required, StringLength(100, MinimumLength = 1)] string? CertificateNumber, [property: Required] DateOnly? IssuedOn, [property: Required] DateOnly? ExpiresOn,
    [property: Required, MinLength(1), MaxLength(100)] List<string>? ProvinceCodes, [property: Required, MinLength(1), MaxLength(100)] List<string>? SectorCategories);

/// <summary>A certificate as it stands: <c>status</c> as of its last action (expiry is read from the dates), its interruptions oldest first.</summary>
public sealed record RegistrationDto(Guid Id, Guid NgoId, [property: RegistrationKind] string Kind, string CertificateNumber, DateOnly IssuedOn, DateOnly ExpiresOn,
    IReadOnlyList<string> ProvinceCodes, IReadOnlyList<string> CurrentProvinceCodes, IReadOnlyList<string> SectorCategories, DateTimeOffset CreatedAt,
    [property: CertificateStatus] string Status, int Version, IReadOnlyList<InterruptionDto> Interruptions);

/// <summary>A span in which a certificate was not valid: <c>from</c> inclusive, <c>until</c> exclusive (null: still).</summary>
public sealed record InterruptionDto([property: InterruptionKind] string Kind, DateOnly From, DateOnly? Until);

/// <summary>A valid certificate ready to be written: codes as given (distinct), their current units and categories sorted.</summary>
public sealed record RegistrationFields(string Kind, string CertificateNumber, DateOnly IssuedOn, DateOnly ExpiresOn,
    string[] ProvinceCodes, string[] CurrentProvinceCodes, string[] SectorCategories);

/// <summary><c>suspend</c>, <c>reinstate</c> and <c>revoke</c>: why, and from which day.</summary>
public sealed record CertificateActionRequest([property: Required, StringLength(2000, MinimumLength = 1)] string? Reason, [property: Required] DateOnly? EffectiveOn);

/// <summary><c>amend</c>: the provinces, the sector categories or both, replacing those the certificate lists.</summary>
public sealed record AmendRegistrationRequest([property: Required, StringLength(2000, MinimumLength = 1)] string? Reason, [property: Required] DateOnly? EffectiveOn,
    [property: MinLength(1), MaxLength(100)] List<string>? ProvinceCodes, [property: MinLength(1), MaxLength(100)] List<string>? SectorCategories);

/// <summary><c>extend</c>: the new expiry.</summary>
public sealed record ExtendRegistrationRequest([property: Required, StringLength(2000, MinimumLength = 1)] string? Reason, [property: Required] DateOnly? EffectiveOn,
    [property: Required] DateOnly? ExpiresOn);

/// <summary>
/// An action, checked in its form and ready to be applied to the certificate as it stands: the new terms it
/// brings (null where it changes nothing).
/// </summary>
public sealed record CertificateChange(string Action, string Reason, DateOnly EffectiveOn, DateOnly? ExpiresOn = null,
    string[]? ProvinceCodes = null, string[]? CurrentProvinceCodes = null, string[]? SectorCategories = null);

/// <summary>What an action changes on a certificate: its terms, its status and its interruptions.</summary>
public sealed record CertificateState(string Kind, DateOnly IssuedOn, DateOnly ExpiresOn, string Status, IReadOnlyList<InterruptionDto> Interruptions,
    CertificateTerms Terms);

/// <summary>The terms an action may change, as the history shows them before and after.</summary>
public sealed record CertificateTerms(DateOnly ExpiresOn, IReadOnlyList<string> ProvinceCodes, IReadOnlyList<string> CurrentProvinceCodes,
    IReadOnlyList<string> SectorCategories);

/// <summary>Who acted: the token's subject, role and (a partner's) NGO.</summary>
public sealed record Actor(string? Subject, string? Role, Guid? NgoId);

/// <summary>One entry of a certificate's history; <c>actor</c> is shown to the ministry and auditors only (null for a partner, and for certificates recorded before the history was kept).</summary>
public sealed record RegistrationHistoryDto(int Version, [property: CertificateAction] string Action, string? FromStatus,
    [property: CertificateStatus] string ToStatus, DateOnly EffectiveOn, string? Reason, CertificateTerms? Before, CertificateTerms After, Actor? Actor, DateTimeOffset At);

/// <summary>The two kinds of certificate under Decree 58/2022/ND-CP.</summary>
public sealed class RegistrationKindAttribute() : AllowedValuesAttribute([.. RegistrationRules.Kinds]);

public sealed class CertificateStatusAttribute() : AllowedValuesAttribute([.. CertificateLife.Statuses]);

public sealed class InterruptionKindAttribute() : AllowedValuesAttribute([.. CertificateLife.InterruptionKinds]);

/// <summary>record, then amend, extend, suspend, reinstate, revoke.</summary>
public sealed class CertificateActionAttribute() : AllowedValuesAttribute([CertificateLife.Record, .. CertificateLife.Actions]);
