using AidPlatform.Reference;
using AidPlatform.Reporting.Api.Domain;

namespace AidPlatform.Reporting.Tests;

/// <summary>A project's budget in USD through the one conversion, and its absorption rate.</summary>
public sealed class Computing_a_project_report
{
    private static readonly DateOnly Start = new(2024, 1, 15);

    private static ProjectFigures Project(decimal budget, string currency = "EUR", decimal disbursed = 250_000m) =>
        new(Guid.NewGuid(), Guid.NewGuid(), budget, currency, Start, 400_000m, disbursed);

    [Test]
    public void Converts_the_budget_at_the_rate_given_and_names_its_month()
    {
        var report = ProjectReport.Of(Project(900_000m), new MonthlyRate(0.9m, new DateOnly(2023, 12, 1)));

        Assert.That(report.BudgetUsd, Is.EqualTo(1_000_000.00m));
        Assert.That(report.BudgetFxRateMonth, Is.EqualTo("2023-12"));
        Assert.That(report.AbsorptionRate, Is.EqualTo(0.25m));
        Assert.That((report.CommittedUsd, report.DisbursedUsd), Is.EqualTo((400_000m, 250_000m)));
    }

    [Test]
    public void Rounds_the_budget_to_the_cent_and_the_absorption_to_four_places_half_away_from_zero()
    {
        // 100 / 3 = 33.333...: 33.33 USD; 1 / 33.33 = 0.030003...: 0.0300.
        var report = ProjectReport.Of(Project(100m, disbursed: 1m), new MonthlyRate(3m, new DateOnly(2024, 1, 1)));

        Assert.That(report.BudgetUsd, Is.EqualTo(33.33m));
        Assert.That(report.AbsorptionRate, Is.EqualTo(0.0300m));
    }

    [Test]
    public void Converts_a_usd_budget_at_one_for_its_start_month()
    {
        var project = Project(500_000m, "USD");

        var report = ProjectReport.Of(project, UsdConversion.RateFor("USD", Start, (_, _) => throw new AssertionException("USD needs no rate")));

        Assert.That((report.BudgetUsd, report.BudgetFxRateMonth, report.AbsorptionRate), Is.EqualTo(((decimal?)500_000m, "2024-01", (decimal?)0.5m)));
    }

    [Test]
    public void Leaves_budget_and_absorption_unknown_without_a_rate()
    {
        var report = ProjectReport.Of(Project(900_000m), null);

        Assert.That((report.BudgetUsd, report.BudgetFxRateMonth, report.AbsorptionRate), Is.EqualTo(((decimal?)null, (string?)null, (decimal?)null)));
        Assert.That(report.DisbursedUsd, Is.EqualTo(250_000m));
    }

    [Test]
    public void Has_no_absorption_rate_for_a_zero_budget()
    {
        var report = ProjectReport.Of(Project(0m), new MonthlyRate(0.9m, new DateOnly(2024, 1, 1)));

        Assert.That((report.BudgetUsd, report.AbsorptionRate), Is.EqualTo(((decimal?)0m, (decimal?)null)));
    }
}
