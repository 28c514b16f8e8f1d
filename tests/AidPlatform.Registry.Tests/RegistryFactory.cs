using System.Collections.Concurrent;
using AidPlatform.Contracts.Registry;
using AidPlatform.Testing;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace AidPlatform.Registry.Tests;

/// <summary>The registry on the real test database (as the <c>registry</c> role) and the real broker.</summary>
public sealed class RegistryFactory : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (key, value) in TestEnvironment.ServiceSettings("registry"))
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
    }
}

/// <summary>A queue of the test's own, bound to every registry event before anything is written.</summary>
public sealed class RegistryEvents : IAsyncDisposable
{
    private readonly IBusControl bus;

    private RegistryEvents(IBusControl bus) => this.bus = bus;

    public ConcurrentQueue<object> All { get; } = new();

    public static async Task<RegistryEvents> Listen()
    {
        RegistryEvents? events = null;
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(TestEnvironment.RabbitHost, TestEnvironment.RabbitPort, TestEnvironment.RabbitVirtualHost, h =>
            {
                h.Username(TestEnvironment.RabbitUser);
                h.Password(TestEnvironment.RabbitPassword);
            });
            cfg.ReceiveEndpoint(TestEnvironment.UniqueName("registry-events"), e =>
            {
                e.AutoDelete = true;
                e.Durable = false;
                e.Handler<NgoRegistered>(c => Add(c.Message));
                e.Handler<NgoUpdated>(c => Add(c.Message));
                e.Handler<RegistrationRecorded>(c => Add(c.Message));
                e.Handler<ProjectRegistered>(c => Add(c.Message));
                e.Handler<ProjectUpdated>(c => Add(c.Message));
            });
        });
        events = new RegistryEvents(bus);
        await bus.StartAsync();
        return events;

        Task Add(object message)
        {
            events!.All.Enqueue(message);
            return Task.CompletedTask;
        }
    }

    public async ValueTask DisposeAsync() => await bus.StopAsync();
}
