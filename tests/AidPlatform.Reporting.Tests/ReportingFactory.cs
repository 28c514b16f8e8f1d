using AidPlatform.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AidPlatform.Reporting.Tests;

/// <summary>
/// The reporting service on the real test database (as the <c>reporting</c> role) and the real broker,
/// with the disbursement service replaced by a small fake that answers what a test sets.
/// </summary>
public sealed class ReportingFactory(FakeDisbursement disbursement)
    : ServiceFactory<Program>("reporting", new Dictionary<string, string> { ["Services:Disbursement:BaseUrl"] = disbursement.BaseAddress });

/// <summary>A stand-in for the disbursement service's totals and exchange-rate endpoints.</summary>
public sealed class FakeDisbursement : IAsyncDisposable
{
    private FakeService service = null!;

    private FakeDisbursement()
    {
    }

    public string BaseAddress => service.BaseAddress;

    /// <summary>What <c>/api/v1/disbursements/totals</c> answers (an empty ledger until a spec says otherwise); null answers 503.</summary>
    public Func<object?> Totals { get; set; } = () => new { byType = new { commitment = 0m, disbursement = 0m, expenditure = 0m }, count = 0 };

    public static async Task<FakeDisbursement> Start()
    {
        var fake = new FakeDisbursement();
        fake.service = await FakeService.Start(app =>
        {
            app.MapGet("/api/v1/disbursements/totals", () => fake.Totals() is { } totals ? Results.Json(totals) : Results.StatusCode(503));
            app.MapGet("/api/v1/exchange-rates", (string currency) => Results.Json(new
            {
                items = currency == "EUR" ? new[] { new { currency, month = "2023-12", unitsPerUsd = 0.9m } } : [],
                page = 1,
                pageSize = 50,
                total = 1,
            }));
        });
        return fake;
    }

    public ValueTask DisposeAsync() => service.DisposeAsync();
}
