using AidPlatform.Reference;
using AidPlatform.ServiceDefaults.Validation;

namespace AidPlatform.Registry.Api.Domain;

/// <summary>
/// IATI policy markers on a project: a code of the PolicyMarker codelist, a significance of PolicySignificance,
/// 3 only with desertification (8) and 4 only with RMNCH (9), as PolicySignificance describes them; each code once.
/// </summary>
public static class PolicyMarkerRules
{
    /// <summary>Significance 3 "principal objective AND in support of an action programme": desertification only.</summary>
    public const string Desertification = "8";

    /// <summary>Significance 4 "explicit primary objective": reproductive, maternal, newborn and child health only.</summary>
    public const string Rmnch = "9";

    /// <summary>Adds an error under <paramref name="field"/> for each marker the codelists or their rules refuse.</summary>
    public static void Check(IReadOnlyList<PolicyMarkerRequest> markers, IatiCodelists iati, ValidationErrors errors, string field)
    {
        ArgumentNullException.ThrowIfNull(markers);
        ArgumentNullException.ThrowIfNull(iati);
        ArgumentNullException.ThrowIfNull(errors);
        var codes = string.Join(", ", InCodeOrder(iati.PolicyMarkers.Keys));
        var significances = string.Join(", ", InCodeOrder(iati.PolicySignificances.Keys));
        for (var i = 0; i < markers.Count; i++)
        {
            var code = markers[i].Code!;
            var significance = markers[i].Significance!.Value;
            errors.Require(iati.PolicyMarkers.ContainsKey(code), $"{field}[{i}].code", $"{code} is not an IATI PolicyMarker code: one of {codes}.");
            if (!errors.Require(iati.PolicySignificances.ContainsKey(Text(significance)), $"{field}[{i}].significance",
                    $"{significance} is not an IATI PolicySignificance: one of {significances}."))
            {
                continue;
            }

            errors.Require(significance != 3 || code == Desertification, $"{field}[{i}].significance",
                $"Significance 3 (principal objective and in support of an action programme) is only for code {Desertification} (desertification).");
            errors.Require(significance != 4 || code == Rmnch, $"{field}[{i}].significance",
                $"Significance 4 (explicit primary objective) is only for code {Rmnch} (reproductive, maternal, newborn and child health).");
        }

        var twice = markers.GroupBy(m => m.Code, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key!).ToList();
        errors.Require(twice.Count == 0, field, $"Each policy marker code may appear once: {string.Join(", ", twice)} appears more than once.");
    }

    /// <summary>Markers in the codelist's order (1, 2, … 12), as every answer and event lists them.</summary>
    public static List<PolicyMarkerDto> InCodeOrder(IEnumerable<PolicyMarkerDto> markers) =>
        markers.OrderBy(m => m.Code.Length).ThenBy(m => m.Code, StringComparer.Ordinal).ToList();

    private static IEnumerable<string> InCodeOrder(IEnumerable<string> codes) => codes.OrderBy(c => c.Length).ThenBy(c => c, StringComparer.Ordinal);

    private static string Text(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
