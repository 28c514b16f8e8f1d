using AidPlatform.Reference;
using AidPlatform.Reporting.Api.Domain;

namespace AidPlatform.Reporting.Tests;

/// <summary>A project's budget in USD through the one conversion, its absorption rate and its alerts.</summary>
public sealed class Computing_a_project_report
{
    private static readonly DateOnly Start = new(2024, 1, 15);
    private static readonly DateOnly Today = new(2026, 12, 2);

    private static ProjectFigures Project(decimal budget, string currency = "EUR", decimal disbursed = 250_000m) =>
        new(Guid.NewGuid(), Guid.NewGuid(), budget, currency, Start, 400_000m, disbursed);

    [Test]
    public void Converts_the_budget_at_the_rate_given_and_names_its_month()
    {
        var report = ProjectReport.Of(Project(900_000m), new MonthlyRate(0.9m, new DateOnly(2023, 12, 1)), Today);

        Assert.That(report.BudgetUsd, Is.EqualTo(1_000_000.00m));
        Assert.That(report.BudgetFxRateMonth, Is.EqualTo("2023-12"));
        Assert.That(report.AbsorptionRate, Is.EqualTo(0.25m));
        Assert.That((report.CommittedUsd, report.DisbursedUsd), Is.EqualTo((400_000m, 250_000m)));
    }

    [Test]
    public void Rounds_the_budget_to_the_cent_and_the_absorption_to_four_places_half_away_from_zero()
    {
        // 100 / 3 = 33.333...: 33.33 USD; 1 / 33.33 = 0.030003...: 0.0300.
        var report = ProjectReport.Of(Project(100m, disbursed: 1m), new MonthlyRate(3m, new DateOnly(2024, 1, 1)), Today);

        Assert.That(report.BudgetUsd, Is.EqualTo(33.33m));
        Assert.That(report.AbsorptionRate, Is.EqualTo(0.0300m));
    }

    [Test]
    public void Converts_a_usd_budget_at_one_for_its_start_month()
    {
        var project = Project(500_000m, "USD");

        var report = ProjectReport.Of(project, UsdConversion.RateFor("USD", Start, (_, _) => throw new AssertionException("USD needs no rate")), Today);

        Assert.That((report.BudgetUsd, report.BudgetFxRateMonth, report.AbsorptionRate), Is.EqualTo(((decimal?)500_000m, "2024-01", (decimal?)0.5m)));
    }

    [Test]
    public void Leaves_budget_and_absorption_unknown_without_a_rate()
    {
        var report = ProjectReport.Of(Project(900_000m), null, Today);

        Assert.That((report.BudgetUsd, report.BudgetFxRateMonth, report.AbsorptionRate), Is.EqualTo(((decimal?)null, (string?)null, (decimal?)null)));
        Assert.That(report.DisbursedUsd, Is.EqualTo(250_000m));
    }

    [Test]
    public void Has_no_absorption_rate_for_a_zero_budget()
    {
        var report = ProjectReport.Of(Project(0m), new MonthlyRate(0.9m, new DateOnly(2024, 1, 1)), Today);

        Assert.That((report.BudgetUsd, report.AbsorptionRate), Is.EqualTo(((decimal?)0m, (decimal?)null)));
    }

    [Test]
    public void Adds_what_was_spent_and_raises_no_alert_for_a_project_within_its_means_and_active()
    {
        var project = Project(900_000m) with { ExpenditureUsd = 120_000.55m, LastValueDate = Today.AddMonths(-1) };

        var report = ProjectReport.Of(project, new MonthlyRate(0.9m, new DateOnly(2023, 12, 1)), Today);

        Assert.That((report.ExpenditureUsd, report.Alerts), Is.EqualTo((120_000.55m, Array.Empty<string>())));
    }

    [Test]
    public void Alerts_when_more_is_disbursed_than_committed_or_budgeted()
    {
        // Budget 90 EUR at 0.9 = 100 USD; 250,000 disbursed against 400,000 committed, then against 100,000.
        var overBudget = ProjectReport.Of(Project(90m) with { LastValueDate = Today }, new MonthlyRate(0.9m, new DateOnly(2024, 1, 1)), Today);
        var overCommitted = ProjectReport.Of(Project(900_000m) with { CommittedUsd = 100_000m, LastValueDate = Today }, new MonthlyRate(0.9m, new DateOnly(2024, 1, 1)), Today);
        var unknownBudget = ProjectReport.Of(Project(90m) with { LastValueDate = Today }, null, Today);

        Assert.Multiple(() =>
        {
            Assert.That(overBudget.Alerts, Is.EqualTo(new[] { "disbursed-exceeds-budget" }));
            Assert.That(overCommitted.Alerts, Is.EqualTo(new[] { "disbursed-exceeds-committed" }));
            Assert.That(unknownBudget.Alerts, Is.Empty, "a budget without a USD value raises nothing");
        });
    }

    [TestCase("2026-06-01", null, true, TestName = "No entry dated in the six months to today: alert")]
    [TestCase("2026-06-02", null, false, TestName = "An entry six months ago to the day: no alert")]
    [TestCase(null, null, true, TestName = "No entry at all in a project running for years: alert")]
    [TestCase(null, "2026-12-01", false, TestName = "A project that has ended: no alert")]
    public void Alerts_a_running_project_with_no_entry_in_six_months(string? lastEntry, string? ended, bool alerted)
    {
        var project = Project(900_000m) with
        {
            CommittedUsd = 1_000_000m,
            LastValueDate = lastEntry is null ? null : DateOnly.Parse(lastEntry, System.Globalization.CultureInfo.InvariantCulture),
            EndDate = ended is null ? null : DateOnly.Parse(ended, System.Globalization.CultureInfo.InvariantCulture),
        };

        var report = ProjectReport.Of(project, new MonthlyRate(0.9m, new DateOnly(2024, 1, 1)), Today);

        Assert.That(report.Alerts.Contains("no-activity-6-months"), Is.EqualTo(alerted), string.Join(", ", report.Alerts));
    }

    [Test]
    public void A_project_started_less_than_six_months_ago_is_not_yet_quiet()
    {
        var project = new ProjectFigures(Guid.NewGuid(), Guid.NewGuid(), 100m, "USD", Today.AddMonths(-5), 0m, 0m);

        Assert.That(ProjectReport.Of(project, new MonthlyRate(1m, new DateOnly(2026, 7, 1)), Today).Alerts, Is.Empty);
    }
}
