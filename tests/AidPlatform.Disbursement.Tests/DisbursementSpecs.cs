using System.Collections.Concurrent;
using AidPlatform.Contracts.Disbursement;
using AidPlatform.Testing;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AidPlatform.Disbursement.Tests;

/// <summary>The disbursement service on the real test database and broker, with the registry replaced by a small fake.</summary>
public sealed class DisbursementFactory(FakeRegistry registry) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in TestEnvironment.ServiceSettings("disbursement"))
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("Services:Registry:BaseUrl", registry.BaseAddress);
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
    }
}

/// <summary>A stand-in for the registry's GET /api/v1/projects/{id}: known projects, unknown ones (404), or down (503).</summary>
public sealed class FakeRegistry : IAsyncDisposable
{
    private readonly WebApplication app;

    private FakeRegistry(WebApplication app, string baseAddress)
    {
        this.app = app;
        BaseAddress = baseAddress;
    }

    public string BaseAddress { get; }

    public ConcurrentDictionary<Guid, object> Projects { get; } = new();

    public bool Down { get; set; }

    public Guid AddProject(Guid? ngoId = null, string status = "implementation")
    {
        var id = Guid.NewGuid();
        Projects[id] = new { id, ngoId = ngoId ?? Guid.NewGuid(), status, startDate = "2019-01-01", endDate = (string?)null, version = 1 };
        return id;
    }

    public static async Task<FakeRegistry> Start()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeRegistry? fake = null;
        app.MapGet("/api/v1/projects/{id:guid}", (Guid id) =>
            fake!.Down ? Results.StatusCode(503) : fake.Projects.TryGetValue(id, out var project) ? Results.Json(project) : Results.NotFound());
        await app.StartAsync();
        fake = new FakeRegistry(app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>A queue of the test's own, bound to the ledger's events before anything is written.</summary>
public sealed class LedgerEvents : IAsyncDisposable
{
    private readonly IBusControl bus;

    private LedgerEvents(IBusControl bus) => this.bus = bus;

    public ConcurrentQueue<DisbursementRecorded> Recorded { get; } = new();

    public ConcurrentQueue<DisbursementReversed> Reversed { get; } = new();

    public static async Task<LedgerEvents> Listen()
    {
        LedgerEvents? events = null;
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(TestEnvironment.RabbitHost, TestEnvironment.RabbitPort, TestEnvironment.RabbitVirtualHost, h =>
            {
                h.Username(TestEnvironment.RabbitUser);
                h.Password(TestEnvironment.RabbitPassword);
            });
            cfg.ReceiveEndpoint(TestEnvironment.UniqueName("ledger-events"), e =>
            {
                e.AutoDelete = true;
                e.Durable = false;
                e.Handler<DisbursementRecorded>(c => { events!.Recorded.Enqueue(c.Message); return Task.CompletedTask; });
                e.Handler<DisbursementReversed>(c => { events!.Reversed.Enqueue(c.Message); return Task.CompletedTask; });
            });
        });
        events = new LedgerEvents(bus);
        await bus.StartAsync();
        return events;
    }

    public async ValueTask DisposeAsync() => await bus.StopAsync();
}
