using System.ComponentModel.DataAnnotations;
using AidPlatform.Disbursement.Api.Domain;

namespace AidPlatform.Disbursement.Api.Endpoints;

/// <summary>A month's rate as the API answers it, in units per USD.</summary>
public sealed record ExchangeRateDto(string Currency, string Month, decimal UnitsPerUsd, string Source, DateTimeOffset UpdatedAt, int Version)
{
    public static ExchangeRateDto From(ExchangeRate rate)
    {
        ArgumentNullException.ThrowIfNull(rate);
        return new(rate.Currency, rate.Month, rate.UnitsPerUsd, rate.Source, rate.UpdatedAt, rate.Version);
    }
}

public sealed record RateRequest([property: Required, Range(typeof(decimal), "0.000001", "99999999.999999")] decimal? UnitsPerUsd);

/// <summary>One version of a month's rate, as it was set.</summary>
public sealed record RateVersionDto(int Version, decimal UnitsPerUsd, string Source, DateTimeOffset ChangedAt);

/// <summary>Every version a month's rate has had, newest first.</summary>
public sealed record RateHistoryDto(string Currency, string Month, IReadOnlyList<RateVersionDto> Versions)
{
    public static RateHistoryDto From(string currency, string month, IReadOnlyList<RateVersion> versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        return new(currency, month, versions.Select(v => new RateVersionDto(v.Version, v.UnitsPerUsd, v.Source, v.ChangedAt)).ToList());
    }
}

/// <summary>One rate of an upload as it now stands, and what the upload did to it.</summary>
public sealed record ImportedRateDto(string Currency, string Month, decimal UnitsPerUsd, int Version,
    [property: AllowedValues(ImportedRate.Created, ImportedRate.Updated, ImportedRate.Unchanged)] string Outcome);

/// <summary>What an upload did: how many rates it created, updated and left unchanged, the months it named, and each rate.</summary>
public sealed record RateImportResult(int Created, int Updated, int Unchanged, IReadOnlyList<string> Months, IReadOnlyList<ImportedRateDto> Rates)
{
    public static RateImportResult From(IReadOnlyList<ImportedRate> rates)
    {
        ArgumentNullException.ThrowIfNull(rates);
        int Count(string outcome) => rates.Count(r => r.Outcome == outcome);
        return new(Count(ImportedRate.Created), Count(ImportedRate.Updated), Count(ImportedRate.Unchanged),
            rates.Select(r => r.Rate.Month).Distinct().Order(StringComparer.Ordinal).ToList(),
            rates.Select(r => new ImportedRateDto(r.Rate.Currency, r.Rate.Month, r.Rate.UnitsPerUsd, r.Rate.Version, r.Outcome)).ToList());
    }
}

/// <summary>
/// A currency-month that refused entries needed and lacked: when, how many entries, and whether a rate covers
/// it now (<c>coveredBy</c> is that rate's month: its own or one of the three before).
/// </summary>
public sealed record RateGapDto(string Currency, string Month, DateTimeOffset FirstRefusedAt, DateTimeOffset LastRefusedAt, long RefusedEntries, bool Covered, string? CoveredBy)
{
    public static RateGapDto From(RateGap gap)
    {
        ArgumentNullException.ThrowIfNull(gap);
        return new(gap.Currency, gap.Month, gap.FirstRefusedAt, gap.LastRefusedAt, gap.RefusedEntries, gap.CoveredBy is not null, gap.CoveredBy);
    }
}
