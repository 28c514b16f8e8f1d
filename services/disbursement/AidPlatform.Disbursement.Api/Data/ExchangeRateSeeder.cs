using System.Globalization;
using AidPlatform.Reference;
using Dapper;
using Npgsql;

namespace AidPlatform.Disbursement.Api.Data;

/// <summary>
/// Seeds currencies and province codes (from AidPlatform.Reference) and the monthly rates of <c>fx_monthly_usd.csv</c> at start-up. Existing rows are left
/// alone: a rate the ministry has set through the API wins over the shipped file.
/// </summary>
internal sealed class ExchangeRateSeeder(NpgsqlDataSource dataSource, ILogger<ExchangeRateSeeder> logger) : IHostedService
{
    private const string InsertCurrencies = """
        insert into currencies (code, minor_units)
        select * from unnest(@Codes, @MinorUnits)
        on conflict (code) do nothing
        """;

    private const string InsertRates = """
        insert into exchange_rates (currency, month, units_per_usd, source)
        select currency, month, rate, 'fx_monthly_usd.csv' from unnest(@Currencies, @Months, @Rates) as r(currency, month, rate)
        on conflict (currency, month) do nothing
        """;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var rates = EmbeddedCsv.Read<RateRow>(typeof(ExchangeRateSeeder).Assembly, "fx_monthly_usd.csv");
        var reference = ReferenceData.Instance;
        var currencies = reference.Currencies.MinorUnits.Keys.Order(StringComparer.Ordinal).ToArray();

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await connection.ExecuteAsync(InsertCurrencies, new
        {
            Codes = currencies,
            MinorUnits = currencies.Select(c => reference.Currencies.MinorUnits[c]).ToArray(),
        }, transaction);
        var codes = reference.Provinces.CurrentOf;
        await connection.ExecuteAsync("""
            insert into province_codes (code, current_code) select * from unnest(@Codes, @CurrentCodes)
            on conflict (code) do update set current_code = excluded.current_code
            """, new { Codes = codes.Keys.ToArray(), CurrentCodes = codes.Values.ToArray() }, transaction);
        var inserted = await connection.ExecuteAsync(InsertRates, new
        {
            Currencies = rates.Select(r => r.Currency).ToArray(),
            Months = rates.Select(r => DateOnly.ParseExact(r.Month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture)).ToArray(),
            Rates = rates.Select(r => r.UnitsPerUsd).ToArray(),
        }, transaction);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Exchange rates: {Currencies} currencies, {Inserted} of {Rates} monthly rates newly seeded", currencies.Length, inserted, rates.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private sealed record RateRow(string Month, string Currency, decimal UnitsPerUsd);
}
