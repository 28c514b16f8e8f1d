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
