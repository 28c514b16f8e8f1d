using System.Globalization;
using AidPlatform.Reference;
using AidPlatform.ServiceDefaults.Errors;
using AidPlatform.ServiceDefaults.Validation;

namespace AidPlatform.Disbursement.Api.Domain;

/// <summary>A month's rate as the ledger keeps it: units of currency per USD, with the version that is its ETag.</summary>
public sealed record ExchangeRate(string Currency, string Month, decimal UnitsPerUsd, string Source, DateTimeOffset UpdatedAt, int Version);

/// <summary>A rate the ministry sets for a currency and month (the first day of the month).</summary>
public sealed record RateChange(string Currency, DateOnly Month, decimal UnitsPerUsd);

/// <summary>Which rates a list reads: a currency, and a range of months (first days).</summary>
public sealed record RateFilter(string? Currency, DateOnly? From, DateOnly? To);

/// <summary>The rules of exchange rates: a currency code, a month <c>yyyy-MM</c>, a rate with at most 6 decimals below 10^8.</summary>
public static class ExchangeRateRules
{
    private const string CurrencyFault = "currency must be an ISO 4217 code of three upper-case letters.";

    /// <summary>The rate a PUT sets; null with its faults (422), or a refusal of the whole request for USD or a currency the ledger does not carry.</summary>
    public static RateChange? Validate(string currency, string month, decimal? unitsPerUsd, IReadOnlyDictionary<string, int> carried, ValidationErrors errors, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(carried);
        ArgumentNullException.ThrowIfNull(errors);
        var key = ValidateKey(currency, month, errors, prefix);
        var rate = errors.Require(unitsPerUsd is > 0 and < 100_000_000m, prefix + "unitsPerUsd", "unitsPerUsd must be more than 0 and less than 10^8.")
            & errors.Require(unitsPerUsd is null || decimal.Round(unitsPerUsd.Value, 6) == unitsPerUsd, prefix + "unitsPerUsd", "unitsPerUsd has at most 6 decimals.");
        if (key is null || !rate)
        {
            return null;
        }

        if (currency == "USD")
        {
            throw new UnprocessableException("USD is the base currency: its rate is 1.");
        }

        return carried.ContainsKey(currency)
            ? new RateChange(currency, key.Value.Month, unitsPerUsd!.Value)
            : throw new UnprocessableException($"{currency} is not a currency the ledger carries.");
    }

    /// <summary>The currency and month a rate's URL names; null with a currency fault, 400 for a month that does not parse.</summary>
    public static (string Currency, DateOnly Month)? ValidateKey(string currency, string month, ValidationErrors errors, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(errors);
        var code = errors.Require(Currencies.IsCodeFormat(currency), prefix + "currency", CurrencyFault);
        var first = ParseMonth(month, prefix + "month");
        return code ? (currency, first!.Value) : null;
    }

    /// <summary>A list's filter; null when <paramref name="errors"/> holds any fault, the caller's paging faults included.</summary>
    public static RateFilter? ValidateFilter(string? currency, string? from, string? to, ValidationErrors errors, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(errors);
        var filter = new RateFilter(currency, ParseMonth(from, prefix + "from"), ParseMonth(to, prefix + "to"));
        errors.Require(currency is null || Currencies.IsCodeFormat(currency), prefix + "currency", CurrencyFault);
        return errors.Any ? null : filter;
    }

    /// <summary>A month that does not parse cannot be read: 400, whatever else is wrong.</summary>
    private static DateOnly? ParseMonth(string? value, string field)
    {
        if (value is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(value + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
        {
            return month;
        }

        throw new MalformedException($"{field} is not a month.") { Errors = new Dictionary<string, string[]> { [field] = ["expected a month YYYY-MM"] } };
    }
}
