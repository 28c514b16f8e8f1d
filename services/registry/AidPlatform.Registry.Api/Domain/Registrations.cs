using System.ComponentModel.DataAnnotations;

namespace AidPlatform.Registry.Api.Domain;

public sealed record RegistrationRequest([property: Required, RegistrationKind] string? Kind,
    [property: Required, StringLength(100, MinimumLength = 1)] string? CertificateNumber, [property: Required] DateOnly? IssuedOn, [property: Required] DateOnly? ExpiresOn,
    [property: Required, MinLength(1), MaxLength(100)] List<string>? ProvinceCodes, [property: Required, MinLength(1), MaxLength(100)] List<string>? SectorCategories);

public sealed record RegistrationDto(Guid Id, Guid NgoId, [property: RegistrationKind] string Kind, string CertificateNumber, DateOnly IssuedOn, DateOnly ExpiresOn,
    IReadOnlyList<string> ProvinceCodes, IReadOnlyList<string> CurrentProvinceCodes, IReadOnlyList<string> SectorCategories, DateTimeOffset CreatedAt);

/// <summary>A valid certificate ready to be written: codes as given (distinct), their current units and categories sorted.</summary>
public sealed record RegistrationFields(string Kind, string CertificateNumber, DateOnly IssuedOn, DateOnly ExpiresOn,
    string[] ProvinceCodes, string[] CurrentProvinceCodes, string[] SectorCategories);

/// <summary>The two kinds of certificate under Decree 58/2022/ND-CP.</summary>
public sealed class RegistrationKindAttribute() : AllowedValuesAttribute([.. RegistrationRules.Kinds]);
