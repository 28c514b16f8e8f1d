using System.Globalization;
using System.Net.Http.Json;
using AidPlatform.Reference;
using AidPlatform.Reporting.Api.Domain;
using AidPlatform.ServiceDefaults.Errors;

namespace AidPlatform.Reporting.Api.Data;

/// <summary>The disbursement service over HTTP, behind a resilience pipeline (see ReportingServiceExtensions).</summary>
public sealed class DisbursementClient(HttpClient http)
{
    private sealed record RatePage(IReadOnlyList<Rate> Items);

    private sealed record Rate(string Currency, string Month, decimal UnitsPerUsd);

    public async Task<LedgerSide> GetTotals(DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        var query = string.Join('&', new[] { ("from", from), ("to", to) }
            .Where(p => p.Item2 is not null)
            .Select(p => $"{p.Item1}={p.Item2!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}"));
        return await Get<LedgerSide>($"/api/v1/disbursements/totals?{query}", cancellationToken);
    }

    /// <summary>How many entries the ledger holds, reversals included; null when it cannot be asked.</summary>
    public async Task<long?> TryCountLedgerEntries(CancellationToken cancellationToken)
    {
        try
        {
            return (await GetTotals(null, null, cancellationToken)).Count;
        }
        catch (DependencyUnavailableException)
        {
            return null;
        }
    }

    /// <summary>The rate for <paramref name="date"/> by <see cref="UsdConversion.RateFor"/> over the ledger's published rates; null when none.</summary>
    public async Task<MonthlyRate?> GetRate(string currency, DateOnly date, CancellationToken cancellationToken)
    {
        // A currency the conversion answers without rates (USD) costs no call, so its budgets report while the ledger is away.
        if (UsdConversion.RateFor(currency, date, (_, _) => null) is { } fixedRate)
        {
            return fixedRate;
        }

        var month = UsdConversion.MonthOf(date);
        var from = month.AddMonths(-UsdConversion.MonthsBack).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var to = month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var page = await Get<RatePage>($"/api/v1/exchange-rates?currency={Uri.EscapeDataString(currency)}&from={from}&to={to}", cancellationToken);
        return UsdConversion.RateFor(currency, date, (_, wanted) =>
            page.Items.FirstOrDefault(r => r.Month == wanted.ToString("yyyy-MM", CultureInfo.InvariantCulture))?.UnitsPerUsd);
    }

    private async Task<T> Get<T>(string path, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync(path, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw new DependencyUnavailableException($"The disbursement service answered {(int)response.StatusCode} for {path}.");
            }

            return await response.Content.ReadFromJsonAsync<T>(cancellationToken)
                ?? throw new DependencyUnavailableException($"The disbursement service sent an empty answer for {path}.");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or TimeoutException or Polly.CircuitBreaker.BrokenCircuitException or System.Text.Json.JsonException)
        {
            throw new DependencyUnavailableException($"The disbursement service cannot be reached: {e.Message}");
        }
    }
}
