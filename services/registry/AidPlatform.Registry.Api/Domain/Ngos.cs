using System.ComponentModel.DataAnnotations;

namespace AidPlatform.Registry.Api.Domain;

/// <summary>An NGO as a client sends it.</summary>
public sealed record NgoRequest([property: Required, StringLength(300, MinimumLength = 1)] string? Name, string? Acronym,
    [property: Required, RegularExpression("^[A-Z]{2}$")] string? CountryOfOrigin, string? IatiOrgRef, string? Website, string? Email);

public sealed record NgoDto(Guid Id, string Name, string? Acronym, string CountryOfOrigin, string? IatiOrgRef, string? Website, string? Email,
    [property: NgoStatus] string Status, int Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>A valid NGO ready to be written: trimmed, blanks as null, with its folded name for search.</summary>
public sealed record NgoFields(string Name, string NameSearch, string? Acronym, string CountryOfOrigin, string? IatiOrgRef, string? Website, string? Email);

/// <summary>The NGO list's filters, as bound.</summary>
public sealed record NgoQuery(string? Q, string? Country, string? Status, Guid? OwnNgo);

/// <summary>An NGO's status, derived from its certificates: active (one valid today in Vietnam), expired (only past ones), unregistered (none).</summary>
public sealed class NgoStatusAttribute() : AllowedValuesAttribute([.. NgoRules.Statuses]);
