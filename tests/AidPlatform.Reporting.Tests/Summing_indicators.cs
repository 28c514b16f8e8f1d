using AidPlatform.Reporting.Api.Domain;
using AidPlatform.ServiceDefaults.Validation;

namespace AidPlatform.Reporting.Tests;

/// <summary>The pure half of the indicators report: how selected periods sum per SDG code and measure.</summary>
public sealed class Summing_indicators
{
    private static readonly Guid ResultA = Guid.NewGuid();
    private static readonly Guid ResultB = Guid.NewGuid();
    private static readonly Guid ProjectA = Guid.NewGuid();
    private static readonly Guid ProjectB = Guid.NewGuid();
    private static readonly Guid Ngo = Guid.NewGuid();

    private static SelectedPeriod Period(Guid result, int indicator, string reference, string measure, decimal? baseline, decimal? target, decimal? actual) =>
        new(result, indicator, result == ResultA ? ProjectA : ProjectB, result == ResultA ? "Alpha" : "Beta", Ngo, "Fictitious NGO", reference, measure, baseline, target, actual);

    [Test]
    public void Counts_a_baseline_once_per_indicator_and_sums_targets_and_the_actuals_there_are()
    {
        var report = IndicatorReport.Of(
        [
            Period(ResultA, 0, "3.1.1", "unit", 100m, 150m, 140m),
            Period(ResultA, 0, "3.1.1", "unit", 100m, 200m, null),
            Period(ResultA, 0, "3.1.1", "unit", 100m, 260m, 250m),
            Period(ResultB, 0, "3.1.1", "unit", 50m, 50m, 60m),
        ]);

        var row = report.Rows.Single();
        Assert.That((row.Baseline, row.Target, row.Actual), Is.EqualTo(((decimal?)150m, (decimal?)660m, (decimal?)450m)));
        // (450 - 150) / (660 - 150) = 0.58823...
        Assert.That(row.Achievement, Is.EqualTo(0.5882m));
        Assert.That(row.IndicatorCount, Is.EqualTo(2));
        Assert.That(row.Projects.Select(p => p.Title), Is.EqualTo(new[] { "Alpha", "Beta" }));
    }

    [Test]
    public void Has_no_achievement_when_the_target_is_the_baseline_or_no_actual_is_known()
    {
        var level = IndicatorReport.Of([Period(ResultB, 0, "3.1.1", "unit", 50m, 50m, 60m)]).Rows.Single();
        var unknown = IndicatorReport.Of([Period(ResultB, 1, "4.1.1", "unit", 0m, 10m, null)]).Rows.Single();

        Assert.That((level.Baseline, level.Target, level.Actual, level.Achievement), Is.EqualTo(((decimal?)50m, (decimal?)50m, (decimal?)60m, (decimal?)null)));
        Assert.That((unknown.Target, unknown.Actual, unknown.Achievement), Is.EqualTo(((decimal?)10m, (decimal?)null, (decimal?)null)));
    }

    [Test]
    public void Sums_unit_indicators_only_but_lists_every_measure_with_its_projects()
    {
        var report = IndicatorReport.Of(
        [
            Period(ResultA, 1, "3.1.1", "percentage", 10m, 20m, 15m),
            Period(ResultA, 0, "3.1.1", "unit", 1m, 2m, 2m),
            Period(ResultB, 2, "16.7.1", "qualitative", null, null, null),
        ]);

        Assert.That(report.Rows.Select(r => (r.Reference, r.Measure)), Is.EqualTo(new[] { ("3.1.1", "unit"), ("3.1.1", "percentage"), ("16.7.1", "qualitative") }));
        var percentage = report.Rows[1];
        Assert.That((percentage.Baseline, percentage.Target, percentage.Actual, percentage.Achievement), Is.EqualTo(((decimal?)null, (decimal?)null, (decimal?)null, (decimal?)null)));
        Assert.That(percentage.Projects.Single().Id, Is.EqualTo(ProjectA));
        Assert.That(report.Rows[2].Projects.Single().Id, Is.EqualTo(ProjectB));
    }

    [Test]
    public void Orders_sdg_codes_naturally()
    {
        var report = IndicatorReport.Of([.. new[] { "10.1.1", "3.b.1", "3.10.1", "3.2.1", "17.18.1", "3.1.2" }.Select(code => Period(ResultA, 0, code, "unit", 0m, 1m, 1m))]);

        Assert.That(report.Rows.Select(r => r.Reference), Is.EqualTo(new[] { "3.1.2", "3.2.1", "3.10.1", "3.b.1", "10.1.1", "17.18.1" }));
    }

    [TestCase("3.1.1")]
    [TestCase("1.a.2")]
    [TestCase("17.18.1")]
    public void Accepts_an_sdg_indicator_code(string reference)
    {
        var errors = new ValidationErrors();

        Assert.That(IndicatorQuery.Validate(reference, 2024, errors), Is.EqualTo(new IndicatorQuery(reference, 2024)));
        Assert.That(errors.Any, Is.False);
    }

    [TestCase("3.1")]
    [TestCase("18.1.1")]
    [TestCase("0.1.1")]
    [TestCase("3.1.1.1")]
    [TestCase("SDG 3.1.1")]
    [TestCase("")]
    // The shape of a code, but no UN SDG target: the registry holds results to the same rule (IatiCodelists.IsSdgIndicator).
    [TestCase("3.z.1")]
    [TestCase("1.9.1")]
    public void Refuses_a_malformed_sdg_code(string reference)
    {
        var errors = new ValidationErrors();

        Assert.That(IndicatorQuery.Validate(reference, null, errors), Is.Null);
        Assert.That(errors.ToDictionary().Keys, Is.EqualTo(new[] { "reference" }));
    }
}
