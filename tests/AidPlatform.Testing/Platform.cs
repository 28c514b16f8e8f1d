using Npgsql;

namespace AidPlatform.Testing;

/// <summary>What a <see cref="Platform"/> runs on, and the settings every service of it gets on top of the defaults.</summary>
public sealed record PlatformOptions
{
    /// <summary>The database all three services use (each as its own role); the end-to-end one unless a suite has its own.</summary>
    public string Database { get; init; } = ServiceProcess.Database;

    public string VirtualHost { get; init; } = ServiceProcess.VirtualHost;

    /// <summary>Environment-variable settings (<c>Section__Key</c>) over the platform's own, for every service.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// The three services as processes, as <c>deploy/local/up</c> runs them: each keeps one loopback port for the
/// platform's life (so a restarted service is found where it was and the others' base URLs stay right), all on
/// one database and vhost, with the per-caller rate limits out of the way unless the options set them.
/// </summary>
public sealed class Platform : IAsyncDisposable
{
    /// <summary>Consumers before producers, as <c>deploy/local/up</c> starts them: their queues exist before anything is published.</summary>
    public static readonly IReadOnlyList<string> StartOrder = ["reporting", "disbursement", "registry"];

    private readonly Dictionary<string, int> ports = StartOrder.ToDictionary(name => name, _ => TestEnvironment.FreePort());
    private readonly Dictionary<string, ServiceProcess> running = [];
    private readonly Dictionary<string, string> lastOutput = [];

    public Platform(PlatformOptions? options = null) => Options = options ?? new PlatformOptions();

    public PlatformOptions Options { get; }

    public string Database => Options.Database;

    public string VirtualHost => Options.VirtualHost;

    /// <summary>A running service.</summary>
    public ServiceProcess this[string name] => running.TryGetValue(name, out var service) ? service : throw new InvalidOperationException($"{name} is not running.");

    public ServiceProcess Registry => this["registry"];

    public ServiceProcess Disbursement => this["disbursement"];

    public ServiceProcess Reporting => this["reporting"];

    /// <summary>The running services, in <see cref="StartOrder"/>.</summary>
    public IReadOnlyList<ServiceProcess> Running => [.. StartOrder.Where(running.ContainsKey).Select(name => running[name])];

    /// <summary>Where a service listens, running or not.</summary>
    public Uri Address(string name) => new(Url(name));

    /// <summary>Starts the three services in <see cref="StartOrder"/>.</summary>
    public async Task StartAll()
    {
        foreach (var name in StartOrder)
        {
            await Start(name);
        }
    }

    /// <summary>Starts one service on its port (again, after <see cref="Stop"/>); <paramref name="settings"/> go over the options'.</summary>
    public async Task<ServiceProcess> Start(string name, IReadOnlyDictionary<string, string>? settings = null)
    {
        if (running.ContainsKey(name))
        {
            throw new InvalidOperationException($"{name} is already running.");
        }

        var service = await ServiceProcess.Start(name, ports[name], Settings(name, settings));
        running[name] = service;
        return service;
    }

    /// <summary>Stops one service, with SIGTERM (given a minute to drain) or SIGKILL, and returns its exit code (-9 for SIGKILL).</summary>
    public async Task<int> Stop(string name, bool graceful = true)
    {
        var service = this[name];
        running.Remove(name);
        lastOutput[name] = service.Output;
        int code;
        if (graceful)
        {
            code = await service.Terminate(TimeSpan.FromMinutes(1));
        }
        else
        {
            await service.Kill();
            code = -9;
        }

        await service.DisposeAsync();
        return code;
    }

    /// <summary>Stops every running service with SIGTERM, in <see cref="StartOrder"/>; their exit codes by name.</summary>
    public async Task<Dictionary<string, int>> StopAll()
    {
        var codes = new Dictionary<string, int>();
        foreach (var service in Running)
        {
            codes[service.Name] = await Stop(service.Name);
        }

        return codes;
    }

    /// <summary>What a service printed last, running or stopped, for failure messages.</summary>
    public string Output(string name) => running.TryGetValue(name, out var service) ? service.Output : lastOutput.GetValueOrDefault(name, "");

    /// <summary>A superuser connection (not yet open) to the platform's database, to compare tables with what the services answered.</summary>
    public NpgsqlConnection Connect() => new(TestEnvironment.AdminConnectionString(Database));

    public async ValueTask DisposeAsync() => await StopAll();

    private Dictionary<string, string> Settings(string name, IReadOnlyDictionary<string, string>? extra)
    {
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings__Postgres"] = new NpgsqlConnectionStringBuilder(TestEnvironment.ServiceConnectionString(name)) { Database = Database }.ConnectionString,
            ["RabbitMq__VirtualHost"] = VirtualHost,
            ["Services__Registry__BaseUrl"] = Url("registry"),
            ["Services__Disbursement__BaseUrl"] = Url("disbursement"),
            // Specs, loads and benchmarks make many requests as one caller; the limits have their own spec.
            ["Auth__Burst"] = "1000000",
            ["Auth__PermitsPerSecond"] = "1000000",
        };
        foreach (var (key, value) in Options.Settings.Concat(extra ?? new Dictionary<string, string>()))
        {
            settings[key] = value;
        }

        return settings;
    }

    private string Url(string name) => $"http://127.0.0.1:{ports[name]}";
}
