using System.ComponentModel.DataAnnotations;
using AidPlatform.ServiceDefaults.Validation;

namespace AidPlatform.Reporting.Api.Domain;

/// <summary>What a breakdown can be by: the one list behind the query's <c>by</c>, the answer's <c>by</c> and their OpenAPI enums.</summary>
public static class Dimensions
{
    public static readonly IReadOnlyList<string> All = ["province", "sector", "sectorCategory", "ngo", "country", "year", "month", "type", "project", "policyMarker"];

    /// <summary>
    /// Whether a breakdown's rows sum to its total. A project counts in full under each policy marker it carries
    /// (OECD practice), so marker rows overlap; every other dimension splits the money exactly.
    /// </summary>
    public static bool IsAdditive(string by) => by != "policyMarker";

    /// <summary>The dimension asked for; null, with the fault under <c>by</c>, when none or an unknown one is asked.</summary>
    public static string? Validate(string? by, ValidationErrors errors, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(errors);
        var field = prefix + "by";
        if (by is null)
        {
            errors.Add(field, $"by is required: one of {string.Join(", ", All)}.");
            return null;
        }

        return errors.Require(All.Contains(by, StringComparer.Ordinal), field, $"must be one of {string.Join(", ", All)}") ? by : null;
    }
}

/// <summary><c>[AllowedValues]</c> of <see cref="Dimensions.All"/>: the strict query string and the OpenAPI filters read it as such.</summary>
public sealed class DimensionAttribute() : AllowedValuesAttribute([.. Dimensions.All]);
