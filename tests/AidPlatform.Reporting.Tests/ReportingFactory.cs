using AidPlatform.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AidPlatform.Reporting.Tests;

/// <summary>
/// The reporting service on the real test database (as the <c>reporting</c> role) and the real broker,
/// with the disbursement service replaced by a small fake that answers what a test sets.
/// </summary>
public sealed class ReportingFactory : WebApplicationFactory<Program>
{
    private readonly FakeDisbursement disbursement;

    public ReportingFactory(FakeDisbursement disbursement) => this.disbursement = disbursement;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in TestEnvironment.ServiceSettings("reporting"))
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("Services:Disbursement:BaseUrl", disbursement.BaseAddress);
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
    }
}

/// <summary>A stand-in for the disbursement service's totals and exchange-rate endpoints.</summary>
public sealed class FakeDisbursement : IAsyncDisposable
{
    private readonly WebApplication app;

    private FakeDisbursement(WebApplication app, string baseAddress)
    {
        this.app = app;
        BaseAddress = baseAddress;
    }

    public string BaseAddress { get; }

    /// <summary>What <c>/api/v1/disbursements/totals</c> answers; null answers 503.</summary>
    public Func<object?> Totals { get; set; } = () => null;

    public static async Task<FakeDisbursement> Start()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeDisbursement? fake = null;
        app.MapGet("/api/v1/disbursements/totals", () => fake!.Totals() is { } totals ? Results.Json(totals) : Results.StatusCode(503));
        app.MapGet("/api/v1/exchange-rates", (string currency) => Results.Json(new
        {
            items = currency == "EUR" ? new[] { new { currency, month = "2023-12", unitsPerUsd = 0.9m } } : [],
            page = 1,
            pageSize = 50,
            total = 1,
        }));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake = new FakeDisbursement(app, address);
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
