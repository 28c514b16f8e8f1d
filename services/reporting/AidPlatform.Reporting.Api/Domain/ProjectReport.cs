using System.ComponentModel.DataAnnotations;
using System.Globalization;
using AidPlatform.Reference;

namespace AidPlatform.Reporting.Api.Domain;

/// <summary>
/// What the read models hold of a project for its report: its budget and period as registered, what was recorded
/// against it, and the value date of its latest entry.
/// </summary>
public sealed record ProjectFigures(Guid Id, Guid NgoId, decimal BudgetAmount, string BudgetCurrency, DateOnly StartDate, decimal CommittedUsd, decimal DisbursedUsd,
    decimal ExpenditureUsd = 0m, DateOnly? EndDate = null, DateOnly? LastValueDate = null);

/// <summary>A project's budget in USD, what was committed, disbursed and spent against it, its absorption rate and its alerts.</summary>
public sealed record ProjectReport(Guid ProjectId, decimal? BudgetUsd, string? BudgetFxRateMonth, decimal CommittedUsd, decimal DisbursedUsd, decimal? AbsorptionRate,
    decimal ExpenditureUsd, [property: ProjectAlert] IReadOnlyList<string> Alerts)
{
    public const string DisbursedExceedsCommitted = "disbursed-exceeds-committed";
    public const string DisbursedExceedsBudget = "disbursed-exceeds-budget";
    public const string NoActivity = "no-activity-6-months";

    /// <summary>The alerts a report may raise, in the order it lists them.</summary>
    public static readonly IReadOnlyList<string> AllAlerts = [DisbursedExceedsCommitted, DisbursedExceedsBudget, NoActivity];

    /// <summary>
    /// The budget is converted at its start month's rate (<paramref name="budgetRate"/>, from
    /// <see cref="UsdConversion.RateFor"/>: the ledger's 3-month fallback); without a rate it stays unknown.
    /// Absorption is disbursed over budget, to four places, where the budget is positive. Alerts: more disbursed
    /// than committed; more disbursed than the budget (when its USD value is known); and a project running for six
    /// months or more (started that long before <paramref name="today"/>, not ended) with no entry dated in them.
    /// </summary>
    public static ProjectReport Of(ProjectFigures project, MonthlyRate? budgetRate, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(project);
        decimal? budgetUsd = budgetRate is { } rate ? UsdConversion.ToUsd(project.BudgetAmount, rate.UnitsPerUsd) : null;
        decimal? absorption = budgetUsd is > 0 ? Math.Round(project.DisbursedUsd / budgetUsd.Value, 4, MidpointRounding.AwayFromZero) : null;
        var sixMonthsAgo = today.AddMonths(-6);
        var running = project.StartDate <= sixMonthsAgo && (project.EndDate is null || project.EndDate >= today);
        var quiet = project.LastValueDate is null || project.LastValueDate < sixMonthsAgo;
        var alerts = new List<string>();
        if (project.DisbursedUsd > project.CommittedUsd)
        {
            alerts.Add(DisbursedExceedsCommitted);
        }

        if (budgetUsd is { } budget && project.DisbursedUsd > budget)
        {
            alerts.Add(DisbursedExceedsBudget);
        }

        if (running && quiet)
        {
            alerts.Add(NoActivity);
        }

        return new ProjectReport(project.Id, budgetUsd, budgetRate?.Month.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            project.CommittedUsd, project.DisbursedUsd, absorption, project.ExpenditureUsd, alerts);
    }
}

/// <summary><c>[AllowedValues]</c> of <see cref="ProjectReport.AllAlerts"/>, so the document lists them.</summary>
public sealed class ProjectAlertAttribute() : AllowedValuesAttribute([.. ProjectReport.AllAlerts]);
