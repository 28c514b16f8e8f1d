using System.Globalization;
using AidPlatform.Reference;
using AidPlatform.ServiceDefaults.Validation;

namespace AidPlatform.Disbursement.Api.Domain;

/// <summary>
/// A currency-month that refused entries needed and lacked: when first and last refused, how many entries,
/// and the month of the rate that covers it now (its own or one of the three before), null while none does.
/// </summary>
public sealed record RateGap(string Currency, string Month, DateTimeOffset FirstRefusedAt, DateTimeOffset LastRefusedAt, long RefusedEntries, string? CoveredBy);

/// <summary>Which gaps a list reads: a currency, and only those no rate covers yet.</summary>
public sealed record CoverageFilter(string? Currency, bool OnlyMissing);

/// <summary>What the ledger says and records when an entry's value date has no rate.</summary>
public static class RateCoverage
{
    /// <summary>Where a missing rate is put right.</summary>
    public const string UploadPath = "/api/v1/exchange-rates/imports";

    /// <summary>The 422's message, naming the value date's month and the months the rate may fall back to.</summary>
    public static string Missing(string currency, DateOnly valueDate)
    {
        var month = UsdConversion.MonthOf(valueDate);
        return string.Create(CultureInfo.InvariantCulture,
            $"No {currency} rate for {month:yyyy-MM} (nor {month.AddMonths(-UsdConversion.MonthsBack):yyyy-MM}..{month.AddMonths(-1):yyyy-MM}); upload one at {UploadPath}.");
    }

    /// <summary>
    /// The currency-month <paramref name="request"/> needed and <paramref name="reference"/> lacks: a carried
    /// currency other than USD on a value date up to today with no rate for its month or the three before; else null.
    /// </summary>
    public static (string Currency, DateOnly Month)? Gap(DisbursementRequest request, LedgerReference reference)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(reference);
        return request is { Currency: { } currency, ValueDate: { } date }
               && reference.MinorUnits.ContainsKey(currency) && PlausibleDates.Contains(date) && date <= reference.Today
               && UsdConversion.RateFor(currency, date, reference.MonthlyRate) is null
            ? (currency, UsdConversion.MonthOf(date))
            : null;
    }

    /// <summary>The filter of <c>GET /exchange-rates/coverage</c>; null when <paramref name="errors"/> holds any fault, the caller's paging faults included.</summary>
    public static CoverageFilter? ValidateFilter(string? currency, bool? onlyMissing, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        errors.Require(currency is null || Currencies.IsCodeFormat(currency), "currency", "currency must be an ISO 4217 code of three upper-case letters.");
        return errors.Any ? null : new CoverageFilter(currency, onlyMissing ?? false);
    }
}

/// <summary>
/// The gaps of one refused request or import, counted in memory (a million refused rows are a handful of
/// currency-months), to be recorded once after the refusal.
/// </summary>
public sealed class RateMisses
{
    private readonly Dictionary<(string Currency, DateOnly Month), long> counts = [];

    /// <summary>Entries refused per currency-month.</summary>
    public IReadOnlyDictionary<(string Currency, DateOnly Month), long> Counts => counts;

    /// <summary>The gaps of <paramref name="requests"/>, those of a refused request or batch.</summary>
    public static RateMisses Of(IEnumerable<DisbursementRequest?> requests, LedgerReference reference)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var misses = new RateMisses();
        foreach (var request in requests)
        {
            if (request is not null)
            {
                misses.Add(request, reference);
            }
        }

        return misses;
    }

    /// <summary>Counts <paramref name="request"/>'s gap, if it has one.</summary>
    public void Add(DisbursementRequest request, LedgerReference reference)
    {
        if (RateCoverage.Gap(request, reference) is { } gap)
        {
            counts[gap] = counts.GetValueOrDefault(gap) + 1;
        }
    }
}
