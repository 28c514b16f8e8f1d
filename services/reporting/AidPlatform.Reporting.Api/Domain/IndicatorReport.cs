using System.ComponentModel.DataAnnotations;
using System.Globalization;
using AidPlatform.Reference;
using AidPlatform.ServiceDefaults.Validation;

namespace AidPlatform.Reporting.Api.Domain;

/// <summary>What the indicators report selects by, beside the NGO and province it shares with the other reports.</summary>
public sealed record IndicatorQuery(string? Reference, int? Year)
{
    /// <summary>IATI IndicatorVocabulary 9: the SDG indicators. The report reads no other vocabulary.</summary>
    public const string SdgVocabulary = "9";

    /// <summary>An SDG indicator code's shape, for the OpenAPI document; <see cref="Validate"/> also checks its target.</summary>
    public const string SdgPattern = IatiCodelists.SdgIndicatorPattern;

    /// <summary>The years <c>year</c> may name.</summary>
    public const int FirstYear = 1900, LastYear = 2200;

    /// <summary>
    /// The query when its values are well formed: <c>reference</c> an SDG indicator code (goal 1–17, a target
    /// number or letter, an indicator number: 3.1.1, 1.a.2, 17.18.1), <c>year</c> a plausible calendar year.
    /// </summary>
    public static IndicatorQuery? Validate(string? reference, int? year, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var valid = errors.Require(reference is null || ReferenceData.Instance.Iati.IsSdgIndicator(reference), "reference",
            "reference must be an SDG indicator code (IATI vocabulary 9) whose goal.target is a UN SDG target, such as 3.1.1 or 1.a.2.");
        valid &= errors.Require(year is null or (>= FirstYear and <= LastYear), "year", $"year must be a calendar year between {FirstYear} and {LastYear}.");
        return valid ? new IndicatorQuery(reference, year) : null;
    }
}

/// <summary>
/// One selected period of an indicator that carries an SDG reference: one row per (indicator, SDG code, period),
/// with the indicator's baseline repeated on each, as the data reads them.
/// </summary>
public sealed record SelectedPeriod(Guid ResultId, int IndicatorNo, Guid ProjectId, string? ProjectTitle, Guid NgoId, string? NgoName,
    string Reference, string Measure, decimal? BaselineValue, decimal? TargetValue, decimal? ActualValue);

/// <summary>A project whose indicators count in a row; title and NGO name are null while the registry has not told reporting of them.</summary>
public sealed record ContributingProject(Guid Id, string? Title, Guid NgoId, string? NgoName);

/// <summary>
/// One SDG indicator code and measure: the sums over <c>unit</c> indicators (null for the other measures), the
/// achievement, how many indicators count and from which projects.
/// </summary>
public sealed record IndicatorReportRow(
    string Reference,
    [property: IndicatorMeasure] string Measure,
    decimal? Baseline,
    decimal? Target,
    decimal? Actual,
    decimal? Achievement,
    int IndicatorCount,
    IReadOnlyList<ContributingProject> Projects);

/// <summary>The indicators report: a row per SDG code and measure, in SDG order.</summary>
public sealed record IndicatorReport(IReadOnlyList<IndicatorReportRow> Rows)
{
    /// <summary>IATI IndicatorMeasure 1–5, in code order.</summary>
    public static readonly IReadOnlyList<string> Measures = ["unit", "percentage", "nominal", "ordinal", "qualitative"];

    /// <summary>
    /// Sums the selected periods per SDG code and measure. Only <c>unit</c> indicators are summed: counts add up,
    /// percentages and scales do not. An indicator's baseline counts once however many of its periods are selected;
    /// targets sum over the selected periods, actuals over those that have one (null when none has). Achievement is
    /// (actual − baseline) / (target − baseline) to four places, null when the target equals the baseline or a
    /// figure is unknown.
    /// </summary>
    public static IndicatorReport Of(IEnumerable<SelectedPeriod> periods)
    {
        ArgumentNullException.ThrowIfNull(periods);
        var rows = periods
            .GroupBy(p => (p.Reference, p.Measure))
            .Select(g => Row(g.Key.Reference, g.Key.Measure, g.ToList()))
            .OrderBy(r => r.Reference, SdgOrder.Instance)
            .ThenBy(r => Rank(r.Measure))
            .ToList();
        return new IndicatorReport(rows);
    }

    private static IndicatorReportRow Row(string reference, string measure, List<SelectedPeriod> periods)
    {
        var indicators = periods.DistinctBy(p => (p.ResultId, p.IndicatorNo)).ToList();
        var projects = periods.DistinctBy(p => p.ProjectId)
            .Select(p => new ContributingProject(p.ProjectId, p.ProjectTitle, p.NgoId, p.NgoName))
            .OrderBy(p => p.Title, StringComparer.Ordinal).ThenBy(p => p.Id)
            .ToList();
        if (measure != "unit")
        {
            return new IndicatorReportRow(reference, measure, null, null, null, null, indicators.Count, projects);
        }

        var baseline = SumOrNull(indicators.Select(i => i.BaselineValue));
        var target = SumOrNull(periods.Select(p => p.TargetValue));
        var actual = SumOrNull(periods.Select(p => p.ActualValue));
        decimal? achievement = baseline is { } b && target is { } t && actual is { } a && t != b
            ? Math.Round((a - b) / (t - b), 4, MidpointRounding.AwayFromZero)
            : null;
        return new IndicatorReportRow(reference, measure, baseline, target, actual, achievement, indicators.Count, projects);
    }

    private static decimal? SumOrNull(IEnumerable<decimal?> values)
    {
        var known = values.OfType<decimal>().ToList();
        return known.Count == 0 ? null : known.Sum();
    }

    private static readonly Dictionary<string, int> MeasureRank = Measures.Select((m, i) => (m, i)).ToDictionary(x => x.m, x => x.i, StringComparer.Ordinal);

    private static int Rank(string measure) => MeasureRank.GetValueOrDefault(measure, Measures.Count);

    /// <summary>SDG codes in their natural order: 3.1.1 before 3.1.2 before 3.a.1 before 10.1.1.</summary>
    private sealed class SdgOrder : IComparer<string>
    {
        public static readonly SdgOrder Instance = new();

        public int Compare(string? x, string? y)
        {
            var (a, b) = ((x ?? "").Split('.'), (y ?? "").Split('.'));
            for (var i = 0; i < Math.Min(a.Length, b.Length); i++)
            {
                var (p, q) = (Part(a[i]), Part(b[i]));
                var order = p.Kind != q.Kind ? p.Kind.CompareTo(q.Kind)
                    : p.Kind == 0 ? p.Number.CompareTo(q.Number)
                    : string.CompareOrdinal(p.Text, q.Text);
                if (order != 0)
                {
                    return order;
                }
            }

            return a.Length.CompareTo(b.Length) is var byLength and not 0 ? byLength : string.CompareOrdinal(x, y);
        }

        // Numbers first in numeric order, then letters (the means-of-implementation targets).
        private static (int Kind, int Number, string Text) Part(string part) =>
            int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? (0, number, "") : (1, 0, part);
    }
}

/// <summary><c>[AllowedValues]</c> of <see cref="IndicatorReport.Measures"/>, for the OpenAPI enum.</summary>
public sealed class IndicatorMeasureAttribute() : AllowedValuesAttribute([.. IndicatorReport.Measures]);
