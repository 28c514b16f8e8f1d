using AidPlatform.Reference;
using AidPlatform.Registry.Api.Domain;
using AidPlatform.ServiceDefaults.Errors;
using AidPlatform.ServiceDefaults.Validation;

namespace AidPlatform.Registry.Tests;

/// <summary>Policy markers and results alone, against the IATI codelists: no database, no HTTP.</summary>
public sealed class Result_and_marker_rules
{
    private static readonly ReferenceData Reference = ReferenceData.Instance;

    private static readonly ResultProject Project = new(Guid.NewGuid(), new DateOnly(2024, 1, 1), new DateOnly(2026, 12, 31), new HashSet<string> { "10", "15", "79" });

    [Test]
    public void The_iati_codelists_are_read_from_the_embedded_xml()
    {
        var iati = Reference.Iati;
        Assert.Multiple(() =>
        {
            Assert.That(iati.PolicyMarkers.Keys, Is.EquivalentTo(Enumerable.Range(1, 12).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            Assert.That(iati.PolicySignificances.Keys, Is.EquivalentTo(new[] { "0", "1", "2", "3", "4" }));
            Assert.That(iati.ResultTypes.Keys, Is.EquivalentTo(new[] { "1", "2", "3", "9" }));
            Assert.That(iati.IndicatorMeasures.Keys, Is.EquivalentTo(new[] { "1", "2", "3", "4", "5" }));
            Assert.That(iati.IndicatorVocabularies.Keys, Does.Contain("9").And.Contain("99"));
            Assert.That(iati.SdgTargets.Keys, Does.Contain("3.1").And.Contain("3.b").And.Not.Contain("3.z"));
            Assert.That(iati.PolicyMarkers["12"].Name, Is.EqualTo("Nutrition"));
        });
    }

    [TestCase("1", 2, null)]
    [TestCase("8", 3, null)]
    [TestCase("9", 4, null)]
    [TestCase("13", 1, "policyMarkers[0].code")]
    [TestCase("0", 1, "policyMarkers[0].code")]
    [TestCase("1", 5, "policyMarkers[0].significance")]
    [TestCase("1", -1, "policyMarkers[0].significance")]
    [TestCase("1", 3, "policyMarkers[0].significance")]
    [TestCase("8", 4, "policyMarkers[0].significance")]
    public void A_policy_marker_is_a_codelist_code_with_a_significance_its_code_allows(string code, int significance, string? field)
    {
        var errors = new ValidationErrors();
        PolicyMarkerRules.Check([new PolicyMarkerRequest(code, significance)], Reference.Iati, errors, "policyMarkers");
        Assert.That(errors.ToDictionary().Keys, field is null ? Is.Empty : Is.EqualTo(new[] { field }));
    }

    [Test]
    public void A_code_twice_is_refused_and_messages_name_the_allowed_values()
    {
        var errors = new ValidationErrors();
        PolicyMarkerRules.Check([new PolicyMarkerRequest("6", 1), new PolicyMarkerRequest("6", 2), new PolicyMarkerRequest("99", 1)], Reference.Iati, errors, "policyMarkers");
        var found = errors.ToDictionary();
        Assert.Multiple(() =>
        {
            Assert.That(found["policyMarkers"].Single(), Does.Contain("6"));
            Assert.That(found["policyMarkers[2].code"].Single(), Does.Contain("one of 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12"));
        });
    }

    [Test]
    public void A_project_without_markers_has_none_and_markers_come_in_code_order()
    {
        var errors = new ValidationErrors();
        var none = ProjectRules.Validate(ProjectWith(null), Reference, errors);
        var some = ProjectRules.Validate(ProjectWith([new PolicyMarkerRequest("12", 1), new PolicyMarkerRequest("2", 2)]), Reference, errors);
        Assert.Multiple(() =>
        {
            Assert.That(errors.Any, Is.False);
            Assert.That(none!.PolicyMarkers, Is.Empty);
            Assert.That(some!.PolicyMarkers, Is.EqualTo(new[] { new PolicyMarkerDto("2", 2), new PolicyMarkerDto("12", 1) }));
        });
    }

    [Test]
    public void A_valid_result_defaults_ascending_to_true()
    {
        var errors = new ValidationErrors();
        var result = ResultRules.Validate(Result(), Reference, errors);
        Assert.Multiple(() =>
        {
            Assert.That(errors.ToDictionary(), Is.Empty);
            Assert.That(result!.Indicators.Single().Ascending, Is.True);
            Assert.That(result.Indicators.Single().Periods.Single().Target.Value, Is.EqualTo(80.5m));
        });
        Assert.DoesNotThrow(() => ResultRules.CheckAgainstProject(result!, Project));
    }

    [TestCase("3.b.1", true)]
    [TestCase("3.1.1", true)]
    [TestCase("17.19.2", true)]
    [TestCase("3.z.1", false)]
    [TestCase("3.1", false)]
    [TestCase("18.1.1", false)]
    [TestCase("3.1.1.1", false)]
    public void An_sdg_indicator_is_goal_target_number_of_a_known_target(string code, bool valid) =>
        Assert.That(Reference.Iati.IsSdgIndicator(code), Is.EqualTo(valid));

    public static IEnumerable<TestCaseData> Faults()
    {
        static TestCaseData Case(string field, Func<ResultRequest, ResultRequest> change) => new TestCaseData(field, change).SetName($"Refused at {field}");
        yield return Case("type", r => r with { Type = "activity" });
        yield return Case("title", r => r with { Title = " " });
        yield return Case("indicators", r => r with { Indicators = [] });
        yield return Case("indicators[0].measure", r => With(r, i => i with { Measure = "count" }));
        yield return Case("indicators[0].references[0].vocabulary", r => With(r, i => i with { References = [new IndicatorReferenceRequest("42", "x")] }));
        yield return Case("indicators[0].references[0].code", r => With(r, i => i with { References = [new IndicatorReferenceRequest("9", "3.z.1")] }));
        yield return Case("indicators[0].baseline.value", r => With(r, i => i with { Baseline = i.Baseline! with { Value = null } }));
        yield return Case("indicators[0].baseline.year", r => With(r, i => i with { Baseline = i.Baseline! with { Year = 1800 } }));
        yield return Case("indicators[0].periods[0].target.value", r => With(r, i => i with { Periods = [i.Periods![0] with { Target = new IndicatorValueDto(null, "about 80") }] }));
        yield return Case("indicators[0].periods[0].actual.value", r => With(r, i => i with { Periods = [i.Periods![0] with { Actual = new IndicatorValueDto(null, null) }] }));
        yield return Case("indicators[0].periods[0].end", r => With(r, i => i with { Periods = [i.Periods![0] with { End = i.Periods[0].Start }] }));
        yield return Case("indicators[0].periods[0].provinceCode", r => With(r, i => i with { Periods = [i.Periods![0] with { ProvinceCode = "x1" }] }));
        yield return Case("indicators[0].periods[0].actual.comment", r => With(r, i => i with { Periods = [i.Periods![0] with { Actual = new IndicatorValueDto(1m, new string('x', 2001)) }] }));
        // Qualitative: comments only (IATI 8.8.1, 8.9.1, 8.10.1).
        yield return Case("indicators[0].baseline.value", r => With(r, i => i with { Measure = "qualitative" }));
    }

    [TestCaseSource(nameof(Faults))]
    public void Each_rule_names_its_field(string field, Func<ResultRequest, ResultRequest> change)
    {
        var errors = new ValidationErrors();
        var result = ResultRules.Validate(change(Result()), Reference, errors);
        Assert.Multiple(() =>
        {
            Assert.That(result, Is.Null);
            Assert.That(errors.ToDictionary().Keys, Does.Contain(field));
        });
    }

    [Test]
    public void A_qualitative_indicator_takes_comments_only()
    {
        var qualitative = With(Result(), i => i with
        {
            Measure = "qualitative",
            Baseline = new BaselineRequest(2023, null, "Few communes had a plan"),
            Periods = [new PeriodRequest(new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31), new IndicatorValueDto(null, "Every commune has a plan"), new IndicatorValueDto(null, "Most have"), null)],
        });
        var errors = new ValidationErrors();
        Assert.That(ResultRules.Validate(qualitative, Reference, errors), Is.Not.Null, string.Join("; ", errors.Entries));
        Assert.That(errors.Any, Is.False);
    }

    [Test]
    public void Periods_lie_within_the_project_and_in_its_provinces()
    {
        var errors = new ValidationErrors();
        var result = ResultRules.Validate(With(Result(), i => i with
        {
            Periods =
            [
                new PeriodRequest(new DateOnly(2023, 6, 1), new DateOnly(2024, 6, 1), new IndicatorValueDto(1m, null), null, "01"),
                new PeriodRequest(new DateOnly(2026, 6, 1), new DateOnly(2027, 6, 1), new IndicatorValueDto(1m, null), null, "10"),
            ],
        }), Reference, errors)!;

        var refusal = Assert.Throws<UnprocessableException>(() => ResultRules.CheckAgainstProject(result, Project))!;
        Assert.That(refusal.Errors!.Keys, Is.EquivalentTo(new[] { "indicators[0].periods[0].start", "indicators[0].periods[0].provinceCode", "indicators[0].periods[1].end" }));
        // An open end date runs for ever.
        Assert.DoesNotThrow(() => ResultRules.CheckAgainstProject(result with { Indicators = [result.Indicators[0] with { Periods = [result.Indicators[0].Periods[1]] }] },
            Project with { EndDate = null }));
    }

    private static ResultRequest Result() => new("outcome", "Mothers give birth with skilled attendants", null,
    [
        new IndicatorRequest("Births attended by skilled health personnel", null, "percentage", null, [new IndicatorReferenceRequest("9", "3.1.2")],
            new BaselineRequest(2023, 62.5m, null),
            [new PeriodRequest(new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31), new IndicatorValueDto(80.5m, null), new IndicatorValueDto(71m, "Two clinics opened late"), "79")]),
    ]);

    private static ResultRequest With(ResultRequest r, Func<IndicatorRequest, IndicatorRequest> change) => r with { Indicators = [change(r.Indicators![0])] };

    private static ProjectRequest ProjectWith(List<PolicyMarkerRequest>? markers) => new(
        Guid.NewGuid(), "Clean water", null, null, "implementation", new DateOnly(2024, 1, 1), null, new MoneyDto(1000m, "USD"),
        [new SectorShare("14030", 100m)], [new LocationShare("79", 100m)], null, markers);
}
