using System.ComponentModel.DataAnnotations;

namespace AidPlatform.Reporting.Api.Domain;

/// <summary>
/// The IATI PolicyMarker codelist's names (PolicyMarker.xml, English), labelling the marker breakdown's rows, and
/// the significances the breakdown's <c>significance</c> selects (IATI PolicySignificance).
/// </summary>
public static class PolicyMarkers
{
    /// <summary>Kept here until the codelist is embedded in AidPlatform.Reference; the names are the XML's, byte for byte.</summary>
    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["1"] = "Gender Equality",
        ["2"] = "Aid to Environment",
        ["3"] = "Participatory Development/Good Governance",
        ["4"] = "Trade Development",
        ["5"] = "Aid Targeting the Objectives of the Convention on Biological Diversity",
        ["6"] = "Aid Targeting the Objectives of the Framework Convention on Climate Change - Mitigation",
        ["7"] = "Aid Targeting the Objectives of the Framework Convention on Climate Change - Adaptation",
        ["8"] = "Aid Targeting the Objectives of the Convention to Combat Desertification",
        ["9"] = "Reproductive, Maternal, Newborn and Child Health (RMNCH)",
        ["10"] = "Disaster Risk Reduction(DRR)",
        ["11"] = "Disability",
        ["12"] = "Nutrition",
    };

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
