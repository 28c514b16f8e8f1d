using AidPlatform.Testing;
using Dapper;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AidPlatform.ServiceDefaults.Tests.Infrastructure;

/// <summary>
/// A real web service built only from ServiceDefaults, in its own fresh schema and with its own queues,
/// listening on a free loopback port. What a service gets, without any service's domain.
/// </summary>
internal sealed class TestService : IAsyncDisposable
{
    private TestService(WebApplication app, string name, string adminConnectionString, Uri baseAddress)
    {
        App = app;
        Name = name;
        AdminConnectionString = adminConnectionString;
        Client = new HttpClient { BaseAddress = baseAddress }.As("ministry");
    }

    public WebApplication App { get; }

    /// <summary>The schema and queue prefix.</summary>
    public string Name { get; }

    public string AdminConnectionString { get; }

    public HttpClient Client { get; }

    public T Get<T>() where T : notnull => App.Services.GetRequiredService<T>();

    public sealed class Options
    {
        public string? Name { get; init; }

        public int? PostgresPort { get; init; }

        public string? PostgresDatabase { get; init; }

        public int? RabbitPort { get; init; }

        public string? RabbitVirtualHost { get; init; }

        public bool RequireSubscriber { get; init; } = true;

        public Action<IBusRegistrationConfigurator>? Consumers { get; init; }

        public Action<WebApplication>? Endpoints { get; init; }

        public Action<IServiceCollection>? Services { get; init; }

        /// <summary>The widget consumer on a temporary queue, and the log it writes to.</summary>
        public static Options WithWidgetConsumer(int? rabbitPort = null, string? virtualHost = null) => new()
        {
            RabbitPort = rabbitPort,
            RabbitVirtualHost = virtualHost,
            Consumers = bus => bus.AddConsumer<WidgetCreatedConsumer>().Endpoint(e => e.Temporary = true),
            Services = services => services.AddSingleton<DeliveryLog>(),
        };
    }

    public static async Task<TestService> Start(Options options)
    {
        var name = options.Name ?? TestEnvironment.UniqueName("sdtest");
        var admin = TestEnvironment.AdminConnectionString(options.PostgresDatabase, options.PostgresPort);
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.ExecuteAsync($"create schema if not exists {name}");
        }

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.WebHost.UseUrls(Loopback.AnyPort);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = admin.Replace("Pooling=False", "Pooling=True", StringComparison.OrdinalIgnoreCase),
            ["RabbitMq:Host"] = TestEnvironment.RabbitHost,
            ["RabbitMq:Port"] = (options.RabbitPort ?? TestEnvironment.RabbitPort).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RabbitMq:VirtualHost"] = options.RabbitVirtualHost ?? TestEnvironment.RabbitVirtualHost,
            ["RabbitMq:Username"] = TestEnvironment.RabbitUser,
            ["RabbitMq:Password"] = TestEnvironment.RabbitPassword,
            ["Outbox:RequireSubscriber"] = options.RequireSubscriber.ToString(),
            ["Outbox:PollInterval"] = "00:00:05",
            ["Auth:SigningKey"] = TestEnvironment.SigningKey,
        });
        builder.AddServiceDefaults<TestService>(name, options.Consumers);
        options.Services?.Invoke(builder.Services);

        var app = builder.Build();
        app.MapDefaultEndpoints();
        options.Endpoints?.Invoke(app);
        await app.StartAsync();

        return new TestService(app, name, admin, Loopback.Address(app));
    }

    /// <summary>Opens a superuser connection whose search path is this service's schema.</summary>
    public async Task<NpgsqlConnection> OpenSchemaConnection()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(AdminConnectionString) { SearchPath = Name }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await App.StopAsync(stop.Token);
        await App.DisposeAsync();
    }
}
