using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AidPlatform.Testing;
using Dapper;
using Npgsql;
using RabbitMQ.Client;

namespace AidPlatform.Benchmarks.Infrastructure;

/// <summary>
/// The benchmark's own database and vhost (created fresh once per run through deploy/local/lib.sh, as
/// tests/run does), the services started as processes against them with rate limits out of the way,
/// and the NGOs and projects every scenario records against.
/// </summary>
internal sealed class BenchEnvironment : IAsyncDisposable
{
    // A second checkout benchmarking on the same machine names its own (AIDP_BENCH_DATABASE).
    public static readonly string Database = Environment.GetEnvironmentVariable("AIDP_BENCH_DATABASE") ?? "aidplatform_bench";
    public static readonly string VirtualHost = Environment.GetEnvironmentVariable("AIDP_BENCH_DATABASE") ?? "aidplatform_bench";
    public const string ReportingLedgerQueue = "reporting-disbursement-recorded";

    // As Production (JSON logs, no development checks); the platform keeps rate limits out of the way.
    private readonly Platform platform = new(new PlatformOptions
    {
        Database = Database,
        VirtualHost = VirtualHost,
        Settings = new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production" },
    });

    private BenchEnvironment(NpgsqlDataSource admin) => Admin = admin;

    /// <summary>Superuser access to the benchmark database: baselines, and reading read models directly.</summary>
    public NpgsqlDataSource Admin { get; }

    public IReadOnlyList<ProjectRef> Projects { get; private set; } = [];

    /// <summary>The single-POST rate of the disbursement service at the benchmark concurrency, once measured.</summary>
    public double? MaxPostRate { get; set; }

    public static async Task<BenchEnvironment> Create()
    {
        Environment.SetEnvironmentVariable("AIDP_E2E_DATABASE", Database);
        Environment.SetEnvironmentVariable("AIDP_E2E_VHOST", VirtualHost);
        Environment.SetEnvironmentVariable("AIDP_TEST_CONFIGURATION", "Release");
        Stats.Progress($"fresh database {Database} and vhost {VirtualHost}");
        await Shell($"ensure_postgres && ensure_rabbitmq && ensure_vhost {VirtualHost} --fresh && ensure_database {Database} --fresh");
        var admin = new NpgsqlDataSourceBuilder(new NpgsqlConnectionStringBuilder(TestEnvironment.AdminConnectionString(Database))
        {
            Pooling = true,
            CommandTimeout = 0,
        }.ConnectionString).Build();
        var environment = new BenchEnvironment(admin);
        await environment.RegisterProjects();
        return environment;
    }

    /// <summary>Starts a service as deploy/local/up does, but as Production and with a rate limit no benchmark reaches.</summary>
    public Task<ServiceProcess> Start(string name, IReadOnlyDictionary<string, string>? extra = null) => platform.Start(name, extra);

    public Task Stop(ServiceProcess service)
    {
        ArgumentNullException.ThrowIfNull(service);
        return platform.Stop(service.Name);
    }

    public static ConnectionFactory Rabbit() => TestEnvironment.Rabbit(VirtualHost);

    /// <summary>Empties reporting's ledger queue, so that events from an earlier scenario do not run into this one.</summary>
    /// <summary>Reporting's queue of an import's parts, next to the single rows' queue.</summary>
    public const string ReportingImportQueue = "reporting-disbursements-imported";

    /// <summary>Empties reporting's ledger queues (single rows and an import's parts), those that exist yet.</summary>
    public static async Task PurgeReportingQueue()
    {
        await using var connection = await Rabbit().CreateConnectionAsync();
        foreach (var queue in new[] { ReportingLedgerQueue, ReportingImportQueue })
        {
            // A purge of a queue not declared yet closes its channel: one channel per queue.
            await using var channel = await connection.CreateChannelAsync();
            try
            {
                await channel.QueuePurgeAsync(queue);
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
            {
            }
        }
    }

    /// <summary>
    /// Drops the ledger's events not yet projected, an import's events not yet written among them, and reporting's
    /// queued ones: what one scenario wrote must not run into the next.
    /// </summary>
    public async Task DiscardLedgerEvents()
    {
        await Scalar("update disbursement.import_progress set parts_written = event_parts where parts_written < event_parts");
        await Scalar("truncate disbursement.outbox_messages");
        await PurgeReportingQueue();
    }

    public async Task<long> Scalar(string sql, object? parameters = null)
    {
        await using var connection = await Admin.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<long>(sql, parameters);
    }

    public async ValueTask DisposeAsync()
    {
        await platform.DisposeAsync();
        await Admin.DisposeAsync();
    }

    /// <summary>A project every generated ledger row names: one current province, one sector, each at 100 %.</summary>
    internal sealed record ProjectRef(Guid Id, Guid NgoId, string ProvinceCode, string SectorCode);

    private static readonly string[] Provinces = ["01", "79", "46", "48", "92", "31", "04", "22", "38", "56"];
    private static readonly (string Code, string Category)[] Sectors =
        [("12220", "122"), ("11220", "112"), ("31120", "311"), ("41010", "410"), ("74020", "740"), ("15150", "151")];

    /// <summary>
    /// Four NGOs with twenty projects through the registry; returns once the disbursement and reporting
    /// services hold their copies. Consumers start first so their queues exist before the registry publishes.
    /// </summary>
    private async Task RegisterProjects()
    {
        await platform.StartAll();
        var registry = platform.Registry;
        var projects = new List<ProjectRef>();
        for (var n = 0; n < 4; n++)
        {
            var ngo = await Created(registry.Client, "/api/v1/ngos", new
            {
                name = $"Fictitious Benchmark Friends {n} ({Guid.NewGuid():N})",
                acronym = $"FBF{n}",
                countryOfOrigin = new[] { "NO", "DE", "JP", "US" }[n],
            });
            await Created(registry.Client, $"/api/v1/ngos/{ngo}/registrations", new
            {
                kind = "representative-office",
                certificateNumber = $"BENCH-{Guid.NewGuid():N}",
                issuedOn = "2019-12-01",
                expiresOn = "2024-11-30",
                provinceCodes = Provinces,
                sectorCategories = Sectors.Select(s => s.Category).ToArray(),
            });
            // A representative office runs at most 5 years: the ledger checks each row's date against a certificate, so a
            // second one covers the rows dated after the first (LedgerData dates rows 2020 to 2024).
            await Created(registry.Client, $"/api/v1/ngos/{ngo}/registrations", new
            {
                kind = "representative-office",
                certificateNumber = $"BENCH-{Guid.NewGuid():N}",
                issuedOn = "2024-12-01",
                expiresOn = "2029-11-30",
                provinceCodes = Provinces,
                sectorCategories = Sectors.Select(s => s.Category).ToArray(),
            });
            for (var p = 0; p < 5; p++)
            {
                var province = Provinces[(n * 5 + p) % Provinces.Length];
                var sector = Sectors[(n * 5 + p) % Sectors.Length];
                var project = await Created(registry.Client, "/api/v1/projects", new
                {
                    ngoId = ngo,
                    title = $"Fictitious benchmark project {n}-{p}",
                    status = "implementation",
                    startDate = "2020-01-01",
                    endDate = "2026-12-31",
                    budget = new { amount = 50_000_000m, currency = "USD" },
                    sectors = new[] { new { code = sector.Code, percentage = 100m } },
                    locations = new[] { new { provinceCode = province, percentage = 100m } },
                });
                projects.Add(new ProjectRef(project, ngo, province, sector.Code));
            }
        }

        // The ledger's copy holds the certificates too, so no measured request has to ask the registry (stopped by then).
        await Eventually.True(async () => await Scalar("select count(*) from disbursement.projects") == projects.Count
                && await Scalar("select count(*) from disbursement.certificates") == 4 * 2
                && await Scalar("select count(*) from reporting.projects") == projects.Count,
            "the projects and certificates to reach disbursement, the projects reporting", TimeSpan.FromSeconds(60));
        Projects = projects;
        await platform.StopAll();
    }

    private static async Task<Guid> Created(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"{path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>Runs deploy/local/lib.sh functions, with the AIDP_* settings this process was given.</summary>
    private static async Task Shell(string script)
    {
        var lib = Path.Combine(TestEnvironment.RepoRoot, "deploy", "local", "lib.sh");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"set -euo pipefail; source '{lib}'; mkdir -p \"$RUN_DIR\" \"$LOG_DIR\"; {script}");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bash did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            var text = await output + await error;
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"{script} exited {process.ExitCode}: {text}"));
        }
    }
}
