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

/// <summary>One version of a month's rate, as exchange_rate_history keeps it.</summary>
public sealed record RateVersion(int Version, decimal UnitsPerUsd, string Source, DateTimeOffset ChangedAt);

/// <summary>What an upload did to one rate: created the month, updated its rate (a new version), or left it unchanged.</summary>
public sealed record ImportedRate(ExchangeRate Rate, string Outcome)
{
    public const string Created = "created";
    public const string Updated = "updated";
    public const string Unchanged = "unchanged";

    public static readonly string[] Outcomes = [Created, Updated, Unchanged];
}

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

    /// <summary>
    /// One line of a rate upload, each value as the file spells it; null with its faults under <paramref name="prefix"/>
    /// (such as <c>lines[3].</c>). The PUT's rules, but every fault is the line's own: USD and a currency the
    /// ledger does not carry too, and a month that does not parse (the file was read, its value is invalid).
    /// </summary>
    public static RateChange? ValidateLine(string? month, string? currency, string? unitsPerUsd, IReadOnlyDictionary<string, int> carried, ValidationErrors errors, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(carried);
        ArgumentNullException.ThrowIfNull(errors);
        DateOnly? first = DateOnly.TryParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var m) ? m : null;
        var valid = errors.Require(first is not null, prefix + "month", "month must be a month as YYYY-MM.")
            && errors.Require(PlausibleDates.Contains(first!.Value), prefix + "month", "month must be between 1900-01 and 2199-12.");
        valid &= errors.Require(Currencies.IsCodeFormat(currency), prefix + "currency", CurrencyFault)
            && errors.Require(currency != "USD", prefix + "currency", "USD is the base currency: its rate is 1.")
            && errors.Require(carried.ContainsKey(currency!), prefix + "currency", $"{currency} is not a currency the ledger carries.");
        decimal? rate = decimal.TryParse(unitsPerUsd, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var r) ? r : null;
        valid &= errors.Require(rate is not null, prefix + "unitsPerUsd", "unitsPerUsd must be a number such as 25450.5.")
            && errors.Require(rate is > 0 and < 100_000_000m, prefix + "unitsPerUsd", "unitsPerUsd must be more than 0 and less than 10^8.")
            && errors.Require(decimal.Round(rate!.Value, 6) == rate, prefix + "unitsPerUsd", "unitsPerUsd has at most 6 decimals.");
        return valid ? new RateChange(currency!, first!.Value, rate!.Value) : null;
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
