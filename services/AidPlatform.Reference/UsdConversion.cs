namespace AidPlatform.Reference;

/// <summary>A monthly rate: units of a currency per USD, and the month it is the average of.</summary>
public readonly record struct MonthlyRate(decimal UnitsPerUsd, DateOnly Month);

/// <summary>
/// The one conversion to USD, used by the ledger for each row and by reporting for budgets: the rate of
/// the date's month, or where that month has none the latest of the three months before it (rates are
/// published late); USD is 1. Amounts are rounded to the cent, half away from zero.
/// </summary>
public static class UsdConversion
{
    public const int MonthsBack = 3;

    /// <summary>The first day of <paramref name="date"/>'s month.</summary>
    public static DateOnly MonthOf(DateOnly date) => new(date.Year, date.Month, 1);

    /// <summary>The rate for <paramref name="date"/>; null when neither its month nor the three before have one.</summary>
    public static MonthlyRate? RateFor(string currency, DateOnly date, Func<string, DateOnly, decimal?> monthlyRate)
    {
        ArgumentNullException.ThrowIfNull(monthlyRate);
        var month = MonthOf(date);
        if (currency == "USD")
        {
            return new MonthlyRate(1m, month);
        }

        for (var back = 0; back <= MonthsBack; back++)
        {
            if (monthlyRate(currency, month.AddMonths(-back)) is { } rate)
            {
                return new MonthlyRate(rate, month.AddMonths(-back));
            }
        }

        return null;
    }

    public static decimal ToUsd(decimal amount, decimal unitsPerUsd) => Math.Round(amount / unitsPerUsd, 2, MidpointRounding.AwayFromZero);
}
