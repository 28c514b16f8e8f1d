using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AidPlatform.Testing;

/// <summary>
/// A stand-in for another service: a slim web application on a free loopback port, answering the routes
/// <c>routes</c> maps and nothing else, silent in the log.
/// </summary>
public sealed class FakeService : IAsyncDisposable
{
    private readonly WebApplication app;

    private FakeService(WebApplication app)
    {
        this.app = app;
        BaseAddress = Loopback.Address(app).ToString().TrimEnd('/');
    }

    /// <summary>The address as a base-URL setting takes it, e.g. <c>http://127.0.0.1:40123</c>.</summary>
    public string BaseAddress { get; }

    public static async Task<FakeService> Start(Action<WebApplication> routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(Loopback.AnyPort);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        routes(app);
        await app.StartAsync();
        return new FakeService(app);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}

/// <summary>Web applications of the tests' own listen on a loopback port the OS picks, and say which once started.</summary>
public static class Loopback
{
    /// <summary>The URL to listen on: loopback, any free port.</summary>
    public const string AnyPort = "http://127.0.0.1:0";

    /// <summary>Where a started application listening on <see cref="AnyPort"/> is.</summary>
    public static Uri Address(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }
}
