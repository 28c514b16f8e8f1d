using System.Collections.Frozen;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace AidPlatform.Reference;

/// <summary>An item of an IATI codelist: its code and its English name.</summary>
public sealed record IatiCode(string Code, string Name);

/// <summary>
/// The IATI codelists of policy markers, results and indicators, read from the XML files embedded under
/// Iati/ (byte-exact copies, see Iati/SOURCES.md). Withdrawn items are left out: they must not be used.
/// </summary>
public sealed partial class IatiCodelists
{
    /// <summary>The shape of an SDG indicator code (IATI IndicatorVocabulary 9): goal 1-17, a target number or letter, an indicator number.</summary>
    public const string SdgIndicatorPattern = @"^(?:[1-9]|1[0-7])\.(?:[1-9][0-9]?|[a-z])\.[1-9][0-9]?$";

    internal IatiCodelists(Assembly assembly)
    {
        PolicyMarkers = Read(assembly, "PolicyMarker.xml");
        PolicySignificances = Read(assembly, "PolicySignificance.xml");
        ResultTypes = Read(assembly, "ResultType.xml");
        IndicatorMeasures = Read(assembly, "IndicatorMeasure.xml");
        IndicatorVocabularies = Read(assembly, "IndicatorVocabulary.xml");
        SdgTargets = Read(assembly, "UNSDG-Targets.xml");
    }

    /// <summary>PolicyMarker: "1" gender equality … "12" nutrition.</summary>
    public FrozenDictionary<string, IatiCode> PolicyMarkers { get; }

    /// <summary>PolicySignificance: "0" not targeted … "4" explicit primary objective.</summary>
    public FrozenDictionary<string, IatiCode> PolicySignificances { get; }

    /// <summary>ResultType: "1" output, "2" outcome, "3" impact, "9" other.</summary>
    public FrozenDictionary<string, IatiCode> ResultTypes { get; }

    /// <summary>IndicatorMeasure: "1" unit … "5" qualitative.</summary>
    public FrozenDictionary<string, IatiCode> IndicatorMeasures { get; }

    /// <summary>IndicatorVocabulary: "9" SDG indicators, "99" the reporting organisation's own, …</summary>
    public FrozenDictionary<string, IatiCode> IndicatorVocabularies { get; }

    /// <summary>UNSDG-Targets: the second level of the SDGs, such as "3.1" or "3.b".</summary>
    public FrozenDictionary<string, IatiCode> SdgTargets { get; }

    /// <summary>An SDG indicator code whose goal.target is one of UNSDG-Targets: 3.1.1 and 3.b.1 are, 3.z.1 and 3.1 are not.</summary>
    public bool IsSdgIndicator(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        return SdgIndicator().IsMatch(code) && SdgTargets.ContainsKey(code[..code.LastIndexOf('.')]);
    }

    [GeneratedRegex(SdgIndicatorPattern, RegexOptions.CultureInvariant)]
    private static partial Regex SdgIndicator();

    private static FrozenDictionary<string, IatiCode> Read(Assembly assembly, string fileName)
    {
        var resource = assembly.GetManifestResourceNames().SingleOrDefault(n => n.EndsWith("." + fileName, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"{assembly.GetName().Name} embeds no {fileName}.");
        using var stream = assembly.GetManifestResourceStream(resource)!;
        var document = XDocument.Load(stream);
        return document.Descendants("codelist-item")
            .Where(item => (string?)item.Attribute("status") != "withdrawn")
            .Select(item => new IatiCode(
                item.Element("code")?.Value.Trim() ?? throw new InvalidOperationException($"{fileName}: an item without a code."),
                // The English narrative: the one without xml:lang (the list's language) or with xml:lang="en".
                item.Element("name")?.Elements("narrative").FirstOrDefault(n => (string?)n.Attribute(XNamespace.Xml + "lang") is null or "en")?.Value.Trim() ?? ""))
            .ToFrozenDictionary(c => c.Code, StringComparer.Ordinal);
    }
}
