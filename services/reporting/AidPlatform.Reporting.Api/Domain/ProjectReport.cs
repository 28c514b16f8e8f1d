using System.Globalization;
using AidPlatform.Reference;

namespace AidPlatform.Reporting.Api.Domain;

/// <summary>What the read models hold of a project for its report: its budget as registered and what was recorded against it.</summary>
public sealed record ProjectFigures(Guid Id, Guid NgoId, decimal BudgetAmount, string BudgetCurrency, DateOnly StartDate, decimal CommittedUsd, decimal DisbursedUsd);

/// <summary>A project's budget in USD, what was committed and disbursed against it, and its absorption rate.</summary>
public sealed record ProjectReport(Guid ProjectId, decimal? BudgetUsd, string? BudgetFxRateMonth, decimal CommittedUsd, decimal DisbursedUsd, decimal? AbsorptionRate)
{
    /// <summary>
    /// The budget is converted at its start month's rate (<paramref name="budgetRate"/>, from
    /// <see cref="UsdConversion.RateFor"/>: the ledger's 3-month fallback); without a rate it stays unknown.
    /// Absorption is disbursed over budget, to four places, where the budget is positive.
    /// </summary>
    public static ProjectReport Of(ProjectFigures project, MonthlyRate? budgetRate)
    {
        ArgumentNullException.ThrowIfNull(project);
        decimal? budgetUsd = budgetRate is { } rate ? UsdConversion.ToUsd(project.BudgetAmount, rate.UnitsPerUsd) : null;
        decimal? absorption = budgetUsd is > 0 ? Math.Round(project.DisbursedUsd / budgetUsd.Value, 4, MidpointRounding.AwayFromZero) : null;
        return new ProjectReport(project.Id, budgetUsd, budgetRate?.Month.ToString("yyyy-MM", CultureInfo.InvariantCulture),
            project.CommittedUsd, project.DisbursedUsd, absorption);
    }
}
