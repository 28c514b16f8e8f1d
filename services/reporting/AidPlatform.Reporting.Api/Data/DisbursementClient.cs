using System.Globalization;
using System.Net.Http.Json;
using AidPlatform.ServiceDefaults.Errors;

namespace AidPlatform.Reporting.Api.Data;

/// <summary>The disbursement service over HTTP, behind a resilience pipeline (see ReportingServiceExtensions).</summary>
public sealed class DisbursementClient(HttpClient http)
{
    public sealed record ByType(decimal Commitment, decimal Disbursement, decimal Expenditure);

    public sealed record LedgerTotals(ByType ByType, long Count);

    private sealed record RatePage(IReadOnlyList<Rate> Items);

    private sealed record Rate(string Currency, string Month, decimal UnitsPerUsd);

    public async Task<LedgerTotals> GetTotals(DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        var query = string.Join('&', new[] { ("from", from), ("to", to) }
            .Where(p => p.Item2 is not null)
            .Select(p => $"{p.Item1}={p.Item2!.Value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}"));
        return await Get<LedgerTotals>($"/api/v1/disbursements/totals?{query}", cancellationToken);
    }

    /// <summary>The rate of <paramref name="month"/>, or of the latest of the three months before it; null when none.</summary>
    public async Task<(decimal UnitsPerUsd, string Month)?> GetRate(string currency, DateOnly month, CancellationToken cancellationToken)
    {
        var from = month.AddMonths(-3).ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var to = month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var page = await Get<RatePage>($"/api/v1/exchange-rates?currency={Uri.EscapeDataString(currency)}&from={from}&to={to}", cancellationToken);
        var latest = page.Items.MaxBy(r => r.Month, StringComparer.Ordinal);
        return latest is null ? null : (latest.UnitsPerUsd, latest.Month);
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
