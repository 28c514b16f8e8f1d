using System.ComponentModel.DataAnnotations;

namespace AidPlatform.Reporting.Api.Domain;

/// <summary>
/// The significances the marker breakdown's <c>significance</c> selects (IATI PolicySignificance). The rows' labels
/// are the PolicyMarker codelist's names, from <c>ReferenceData.Iati</c>.
/// </summary>
public static class PolicyMarkers
{
    /// <summary>The values of <c>significance</c>, the default first.</summary>
    public static readonly IReadOnlyList<string> SignificanceLevels = ["any", "significant", "principal"];

    /// <summary>
    /// The PolicySignificance codes a level selects: <c>any</c> every targeted one (1 and up), <c>significant</c> 1,
    /// <c>principal</c> 2 and the principal-like 3 (code 8 only) and 4 (code 9 only). 0 (not targeted) never counts.
    /// </summary>
    public static int[] Significances(string? level) => level switch
    {
        null or "any" => [1, 2, 3, 4],
        "significant" => [1],
        "principal" => [2, 3, 4],
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Unknown significance level."),
    };
}

/// <summary><c>[AllowedValues]</c> of <see cref="PolicyMarkers.SignificanceLevels"/>: the strict query string and the OpenAPI filters read it as such.</summary>
public sealed class SignificanceLevelAttribute() : AllowedValuesAttribute([.. PolicyMarkers.SignificanceLevels]);
