using AidPlatform.Reference;
using AidPlatform.ServiceDefaults.Validation;

namespace AidPlatform.Registry.Api.Domain;

/// <summary>What makes a registration certificate valid (Decree 58/2022/ND-CP).</summary>
public static class RegistrationRules
{
    public static readonly IReadOnlyList<string> Kinds = ["operation", "representative-office"];

    public static RegistrationFields? Validate(RegistrationRequest request, ReferenceData reference, ValidationErrors errors, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(errors);
        var before = errors.Count;
        var kind = request.Kind;
        errors.Require(kind is not null, prefix + "kind", "kind is required: operation or representative-office.");
        var number = request.CertificateNumber?.Trim();
        errors.Require(!string.IsNullOrEmpty(number) && number.Length <= 100, prefix + "certificateNumber", "certificateNumber is required, 100 characters or fewer.");
        errors.Require(request.IssuedOn is not null, prefix + "issuedOn", "issuedOn is required (YYYY-MM-DD).");
        errors.Require(request.ExpiresOn is not null, prefix + "expiresOn", "expiresOn is required (YYYY-MM-DD).");
        errors.Require(request.ProvinceCodes is { Count: > 0 and <= 100 }, prefix + "provinceCodes", "provinceCodes must list 1 to 100 province codes.");
        errors.Require(request.SectorCategories is { Count: > 0 and <= 100 }, prefix + "sectorCategories", "sectorCategories must list 1 to 100 DAC 3-digit categories.");
        if (errors.Count > before)
        {
            return null;
        }

        var (issued, expires) = (request.IssuedOn!.Value, request.ExpiresOn!.Value);
        var years = MaxYears(kind!);
        errors.Require(Kinds.Contains(kind!), prefix + "kind", $"kind must be one of {string.Join(", ", Kinds)}.");
        errors.Require(expires > issued, prefix + "expiresOn", "expiresOn must be after issuedOn.");
        errors.Require(PlausibleDates.Contains(issued), prefix + "issuedOn", "issuedOn " + PlausibleDates.Message);
        errors.Require(PlausibleDates.Contains(expires), prefix + "expiresOn", "expiresOn " + PlausibleDates.Message);
        // Decree 58/2022/ND-CP: an operation certificate runs at most 3 years, a representative office's at most 5.
        errors.Require(!PlausibleDates.Contains(issued) || expires <= issued.AddYears(years), prefix + "expiresOn", $"A {kind} certificate runs at most {years} years (Decree 58/2022/ND-CP).");
        var provinces = Provinces(request.ProvinceCodes!, reference, errors, prefix + "provinceCodes");
        var categories = Categories(request.SectorCategories!, reference, errors, prefix + "sectorCategories");
        if (errors.Count > before)
        {
            return null;
        }

        return new RegistrationFields(kind!, number!, issued, expires, provinces!.Value.Given, provinces.Value.Current, categories!);
    }

    /// <summary>The longest term of a certificate of <paramref name="kind"/>, in years (Decree 58/2022/ND-CP).</summary>
    public static int MaxYears(string kind) => kind == "operation" ? 3 : 5;

    /// <summary>Province codes as given (distinct) and their current units (sorted); null, with an error, when one is unknown.</summary>
    public static (string[] Given, string[] Current)? Provinces(IReadOnlyList<string> codes, ReferenceData reference, ValidationErrors errors, string field)
    {
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(errors);
        var unknown = codes.Where(c => c is null || !reference.Provinces.CurrentOf.ContainsKey(c)).ToList();
        if (!errors.Require(unknown.Count == 0, field, $"Unknown province codes: {string.Join(", ", unknown)}."))
        {
            return null;
        }

        var given = codes.Distinct().ToArray();
        return (given, given.Select(c => reference.Provinces.CurrentOf[c]).Distinct().Order(StringComparer.Ordinal).ToArray());
    }

    /// <summary>DAC 3-digit categories, distinct and sorted; null, with an error, when one is unknown.</summary>
    public static string[]? Categories(IReadOnlyList<string> codes, ReferenceData reference, ValidationErrors errors, string field)
    {
        ArgumentNullException.ThrowIfNull(codes);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(errors);
        var unknown = codes.Where(c => c is null || !reference.Sectors.Categories.Contains(c)).ToList();
        return errors.Require(unknown.Count == 0, field, $"Unknown DAC sector categories: {string.Join(", ", unknown)}.")
            ? codes.Distinct().Order(StringComparer.Ordinal).ToArray()
            : null;
    }

    /// <summary>The certificate list's filter: a window of 0 to 3650 days.</summary>
    public static void ValidateQuery(int? expiringWithinDays, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.Require(expiringWithinDays is null or (>= 0 and <= 3650), "expiringWithinDays", "expiringWithinDays must be between 0 and 3650.");
    }
}
