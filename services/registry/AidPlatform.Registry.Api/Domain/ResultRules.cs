using System.Globalization;
using System.Text.RegularExpressions;
using AidPlatform.Reference;
using AidPlatform.ServiceDefaults.Validation;

namespace AidPlatform.Registry.Api.Domain;

/// <summary>
/// What makes a project's result valid (IATI 2.03 results): the codelists, the values each measure takes
/// (IATI rules 8.8.1, 8.9.1, 8.10.1: quantitative measures have values, qualitative ones comments only),
/// and, against its project, periods within the project's dates and provinces among its locations.
/// </summary>
public static class ResultRules
{
    /// <summary>The API's names of IATI ResultType codes.</summary>
    public static readonly IReadOnlyDictionary<string, string> TypeCodes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["output"] = "1", ["outcome"] = "2", ["impact"] = "3", ["other"] = "9",
    };

    /// <summary>The API's names of IATI IndicatorMeasure codes.</summary>
    public static readonly IReadOnlyDictionary<string, string> MeasureCodes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["unit"] = "1", ["percentage"] = "2", ["nominal"] = "3", ["ordinal"] = "4", ["qualitative"] = "5",
    };

    public static readonly IReadOnlyList<string> Types = ["output", "outcome", "impact", "other"];

    public static readonly IReadOnlyList<string> Measures = ["unit", "percentage", "nominal", "ordinal", "qualitative"];

    /// <summary>IndicatorVocabulary "9": UN SDG indicators, coded goal.target.number.</summary>
    public const string SdgVocabulary = "9";

    public const string Qualitative = "qualitative";

    /// <summary>Beyond any count or amount an indicator measures; keeps values well inside numeric.</summary>
    private const decimal MaxValue = 1_000_000_000_000_000m;

    /// <summary>Checks the form, the codelists and the values each measure takes; the project is checked by <see cref="CheckAgainstProject"/>.</summary>
    public static ResultFields? Validate(ResultRequest r, ReferenceData reference, ValidationErrors errors, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(errors);
        var before = errors.Count;
        var iati = reference.Iati;
        var types = Types.Where(t => iati.ResultTypes.ContainsKey(TypeCodes[t])).ToList();
        var measures = Measures.Where(m => iati.IndicatorMeasures.ContainsKey(MeasureCodes[m])).ToList();
        errors.Require(r.Type is not null && types.Contains(r.Type), prefix + "type", $"type is required: one of {string.Join(", ", types)}.");
        var title = r.Title?.Trim();
        errors.Require(!string.IsNullOrEmpty(title) && title.Length <= 500, prefix + "title", "title is required, 500 characters or fewer.");
        errors.Require(r.Description is not { Length: > 4000 }, prefix + "description", "description must be 4000 characters or fewer.");
        if (!errors.Require(r.Indicators is { Count: > 0 and <= 50 }, prefix + "indicators", "indicators must list 1 to 50 indicators (IATI: a result has at least one)."))
        {
            return null;
        }

        var indicators = new List<IndicatorDto>();
        for (var i = 0; i < r.Indicators!.Count; i++)
        {
            if (Indicator(r.Indicators[i], iati, measures, errors, $"{prefix}indicators[{i}]") is { } indicator)
            {
                indicators.Add(indicator);
            }
        }

        return errors.Count > before ? null : new ResultFields(r.Type!, title!, r.Description, indicators);
    }

    /// <summary>
    /// Every period lies within the project's dates (an open end date runs for ever) and names one of its provinces:
    /// a 422 naming each period at fault.
    /// </summary>
    public static void CheckAgainstProject(ResultFields result, ResultProject project)
    {
        var errors = new ValidationErrors();
        foreach (var (field, message) in Misfits(result, project))
        {
            errors.Add(field, message);
        }

        errors.ThrowIfAny("The result does not fit its project's dates or locations; nothing was written.");
    }

    /// <summary>The periods of <paramref name="result"/> outside <paramref name="project"/>'s dates or provinces, each with its field and why.</summary>
    public static IEnumerable<(string Field, string Message)> Misfits(ResultFields result, ResultProject project)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(project);
        var provinces = string.Join(", ", project.ProvinceCodes.Order(StringComparer.Ordinal));
        for (var i = 0; i < result.Indicators.Count; i++)
        {
            for (var j = 0; j < result.Indicators[i].Periods.Count; j++)
            {
                var period = result.Indicators[i].Periods[j];
                var field = $"indicators[{i}].periods[{j}]";
                if (period.Start < project.StartDate)
                {
                    yield return (field + ".start", $"start {Day(period.Start)} is before the project's startDate {Day(project.StartDate)}.");
                }

                if (project.EndDate is { } end && period.End > end)
                {
                    yield return (field + ".end", $"end {Day(period.End)} is after the project's endDate {Day(end)}.");
                }

                if (period.ProvinceCode is not null && !project.ProvinceCodes.Contains(period.ProvinceCode))
                {
                    yield return (field + ".provinceCode", $"{period.ProvinceCode} is not one of the project's locations: {provinces}.");
                }
            }
        }
    }

    private static IndicatorDto? Indicator(IndicatorRequest? r, IatiCodelists iati, List<string> measures, ValidationErrors errors, string field)
    {
        if (!errors.Require(r is not null, field, "An indicator { title, measure, references, baseline, periods } is required."))
        {
            return null;
        }

        var before = errors.Count;
        var title = r!.Title?.Trim();
        errors.Require(!string.IsNullOrEmpty(title) && title.Length <= 500, field + ".title", "title is required, 500 characters or fewer.");
        errors.Require(r.Description is not { Length: > 4000 }, field + ".description", "description must be 4000 characters or fewer.");
        var measureKnown = errors.Require(r.Measure is not null && measures.Contains(r.Measure), field + ".measure",
            $"measure is required: one of {string.Join(", ", measures)}.");
        var references = new List<IndicatorReferenceDto>();
        if (errors.Require(r.References is { Count: <= 20 }, field + ".references", "references must list at most 20 { vocabulary, code } (an empty list for none)."))
        {
            for (var k = 0; k < r.References!.Count; k++)
            {
                if (Reference(r.References[k], iati, errors, $"{field}.references[{k}]") is { } reference)
                {
                    references.Add(reference);
                }
            }
        }

        var quantitative = r.Measure != Qualitative;
        BaselineDto? baseline = null;
        if (errors.Require(r.Baseline is not null, field + ".baseline", "baseline { year, value?, comment? } is required."))
        {
            var b = r.Baseline!;
            errors.Require(b.Year is { } year && year >= PlausibleDates.Earliest.Year && year <= PlausibleDates.Latest.Year, field + ".baseline.year",
                $"baseline.year is required, between {PlausibleDates.Earliest.Year} and {PlausibleDates.Latest.Year}.");
            errors.Require(b.Comment is not { Length: > 2000 }, field + ".baseline.comment", "comment must be 2000 characters or fewer.");
            if (measureKnown)
            {
                MeasuredValue(b.Value, quantitative, r.Measure!, errors, field + ".baseline.value");
            }

            baseline = new BaselineDto(b.Year ?? 0, b.Value, b.Comment);
        }

        var periods = new List<PeriodDto>();
        if (errors.Require(r.Periods is { Count: <= 100 }, field + ".periods", "periods must list at most 100 periods (an empty list for none)."))
        {
            for (var j = 0; j < r.Periods!.Count; j++)
            {
                if (Period(r.Periods[j], measureKnown ? r.Measure : null, errors, $"{field}.periods[{j}]") is { } period)
                {
                    periods.Add(period);
                }
            }
        }

        return errors.Count > before ? null : new IndicatorDto(title!, r.Description, r.Measure!, r.Ascending ?? true, references, baseline!, periods);
    }

    private static IndicatorReferenceDto? Reference(IndicatorReferenceRequest? r, IatiCodelists iati, ValidationErrors errors, string field)
    {
        if (!errors.Require(r is not null, field, "A reference { vocabulary, code } is required."))
        {
            return null;
        }

        var vocabularies = string.Join(", ", iati.IndicatorVocabularies.Keys.OrderBy(c => c.Length).ThenBy(c => c, StringComparer.Ordinal));
        var known = errors.Require(r!.Vocabulary is not null && iati.IndicatorVocabularies.ContainsKey(r.Vocabulary), field + ".vocabulary",
            $"vocabulary is required, an IATI IndicatorVocabulary code: one of {vocabularies} (9 = SDG indicators, 99 = the NGO's own).");
        var code = r.Code?.Trim();
        if (!errors.Require(!string.IsNullOrEmpty(code) && code.Length <= 100, field + ".code", "code is required, 100 characters or fewer."))
        {
            return null;
        }

        if (known && r.Vocabulary == SdgVocabulary)
        {
            errors.Require(iati.IsSdgIndicator(code!), field + ".code",
                $"{code} is not an SDG indicator: vocabulary 9 takes <goal>.<target>.<number> whose <goal>.<target> is a UN SDG target, such as 3.1.1 or 3.b.1.");
        }

        return known ? new IndicatorReferenceDto(r.Vocabulary!, code!) : null;
    }

    private static PeriodDto? Period(PeriodRequest? r, string? measure, ValidationErrors errors, string field)
    {
        if (!errors.Require(r is not null, field, "A period { start, end, target, actual?, provinceCode? } is required."))
        {
            return null;
        }

        var before = errors.Count;
        if (errors.Require(r!.Start is not null, field + ".start", "start is required (YYYY-MM-DD).") & errors.Require(r.End is not null, field + ".end", "end is required (YYYY-MM-DD)."))
        {
            errors.Require(PlausibleDates.Contains(r.Start!.Value), field + ".start", "start " + PlausibleDates.Message);
            errors.Require(PlausibleDates.Contains(r.End!.Value), field + ".end", "end " + PlausibleDates.Message);
            errors.Require(r.Start < r.End, field + ".end", $"end {Day(r.End.Value)} must be after start {Day(r.Start.Value)}.");
        }

        if (errors.Require(r.Target is not null, field + ".target", "target { value?, comment? } is required."))
        {
            Value(r.Target!, measure, errors, field + ".target");
        }

        if (r.Actual is not null)
        {
            Value(r.Actual, measure, errors, field + ".actual");
        }

        errors.Require(r.ProvinceCode is null || (r.ProvinceCode.Length is > 0 and <= 3 && r.ProvinceCode.All(char.IsAsciiDigit)), field + ".provinceCode",
            "provinceCode must be a province code of digits, one of the project's locations.");
        return errors.Count > before ? null : new PeriodDto(r.Start!.Value, r.End!.Value, r.Target!, r.Actual, r.ProvinceCode);
    }

    private static void Value(IndicatorValueDto value, string? measure, ValidationErrors errors, string field)
    {
        errors.Require(value.Comment is not { Length: > 2000 }, field + ".comment", "comment must be 2000 characters or fewer.");
        if (measure is not null)
        {
            MeasuredValue(value.Value, measure != Qualitative, measure, errors, field + ".value");
        }
    }

    /// <summary>IATI 8.8.1, 8.9.1, 8.10.1: a quantitative measure needs a numeric value; a qualitative one has none.</summary>
    private static void MeasuredValue(decimal? value, bool quantitative, string measure, ValidationErrors errors, string field)
    {
        if (quantitative)
        {
            if (errors.Require(value is not null, field, $"A {measure} indicator needs a numeric value here (IATI rules 8.8.1, 8.9.1, 8.10.1)."))
            {
                errors.Require(Math.Abs(value!.Value) <= MaxValue, field, "value must be between -10^15 and 10^15.");
            }
        }
        else
        {
            errors.Require(value is null, field, "A qualitative indicator takes a comment only, no value (IATI rules 8.8.1, 8.9.1, 8.10.1).");
        }
    }

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
