using System.Net.Mail;
using AidPlatform.Reference;
using AidPlatform.ServiceDefaults.Validation;

namespace AidPlatform.Registry.Api.Domain;

/// <summary>What makes an NGO valid.</summary>
public static class NgoRules
{
    public static readonly IReadOnlyList<string> Statuses = ["active", "expired", "unregistered"];

    /// <summary>Checks the form of every field first; only a well-formed NGO has its country looked up.</summary>
    public static NgoFields? Validate(NgoRequest request, ValidationErrors errors, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(errors);
        var before = errors.Count;
        var name = request.Name?.Trim();
        if (errors.Require(!string.IsNullOrEmpty(name), prefix + "name", "name is required."))
        {
            errors.Require(name!.Length <= 300, prefix + "name", "name must be 300 characters or fewer.");
        }

        var acronym = Blank(request.Acronym);
        errors.Require(acronym is not { Length: > 50 }, prefix + "acronym", "acronym must be 50 characters or fewer.");
        if (errors.Require(request.CountryOfOrigin is not null, prefix + "countryOfOrigin", "countryOfOrigin is required."))
        {
            errors.Require(Countries.IsCodeFormat(request.CountryOfOrigin), prefix + "countryOfOrigin", "countryOfOrigin must be an ISO 3166-1 alpha-2 code such as NO.");
        }

        var iatiOrgRef = Blank(request.IatiOrgRef);
        errors.Require(iatiOrgRef is null || (iatiOrgRef.Length <= 100 && !iatiOrgRef.Any(char.IsWhiteSpace)), prefix + "iatiOrgRef",
            "iatiOrgRef must be an IATI organisation identifier (such as GB-CHC-202918) of 100 characters or fewer.");
        var website = Blank(request.Website);
        errors.Require(website is null || (website.Length <= 500 && Uri.TryCreate(website, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"),
            prefix + "website", "website must be an absolute http or https URL.");
        var email = Blank(request.Email);
        errors.Require(email is null || (email.Length <= 320 && MailAddress.TryCreate(email, out _)), prefix + "email", "email must be an email address.");
        if (errors.Count > before
            || !errors.Require(Countries.Codes.Contains(request.CountryOfOrigin!), prefix + "countryOfOrigin", "Unknown country code."))
        {
            return null;
        }

        return new NgoFields(name!, SearchText.Fold(name!), acronym, request.CountryOfOrigin!, iatiOrgRef, website, email);
    }

    /// <summary>The list's filters: a country code's form and the search text's length.</summary>
    public static void ValidateQuery(NgoQuery query, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(errors);
        errors.Require(query.Country is null || Countries.IsCodeFormat(query.Country), "country", "country must be an ISO 3166-1 alpha-2 code such as NO.");
        errors.Require(query.Q is not { Length: > 200 }, "q", "q must be 200 characters or fewer.");
    }

    /// <summary>Null for blank text, else the text trimmed.</summary>
    public static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
