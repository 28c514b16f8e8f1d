using Npgsql;

namespace AidPlatform.Testing;

/// <summary>
/// Where the real servers are, as <c>tests/run</c> exports it (<c>AIDP_*</c> variables); the defaults
/// match <c>deploy/local/up</c>, so a test also runs from an IDE once <c>tests/run</c> or <c>up</c> ran.
/// </summary>
public static class TestEnvironment
{
    public static string PgHost => Get("AIDP_PG_HOST", "127.0.0.1");

    public static int PgPort => int.Parse(Get("AIDP_PG_PORT", "55432"), System.Globalization.CultureInfo.InvariantCulture);

    public static string PgSuperuser => Get("AIDP_PG_SUPERUSER", "postgres");

    public static string PgSuperpassword => Get("AIDP_PG_SUPERPASSWORD", "aidplatform-local");

    public static string Database => Get("AIDP_TEST_DATABASE", "aidplatform_test");

    public static string RabbitHost => Get("AIDP_RABBIT_HOST", "127.0.0.1");

    public static ushort RabbitPort => ushort.Parse(Get("AIDP_RABBIT_PORT", "55672"), System.Globalization.CultureInfo.InvariantCulture);

    public static string RabbitUser => Get("AIDP_RABBIT_USER", "aidplatform");

    public static string RabbitPassword => Get("AIDP_RABBIT_PASSWORD", "aidplatform-local");

    public static string RabbitVirtualHost => Get("AIDP_RABBIT_VHOST", "aidplatform_test");

    /// <summary>The repository root, for the scripts under <c>deploy/local</c>.</summary>
    public static string RepoRoot => Environment.GetEnvironmentVariable("AIDP_REPO_ROOT") is { Length: > 0 } root ? root : FindRepoRoot();

    /// <summary>The superuser's connection string to the test database (or another database on the same server).</summary>
    public static string AdminConnectionString(string? database = null, int? port = null) => new NpgsqlConnectionStringBuilder
    {
        Host = PgHost,
        Port = port ?? PgPort,
        Database = database ?? Database,
        Username = PgSuperuser,
        Password = PgSuperpassword,
        Pooling = false,
    }.ConnectionString;

    /// <summary>A service role's connection string to the test database; passwords as <c>ensure_database</c> sets them.</summary>
    public static string ServiceConnectionString(string service) => new NpgsqlConnectionStringBuilder
    {
        Host = PgHost,
        Port = PgPort,
        Database = Database,
        Username = service,
        Password = Get($"AIDP_{service.ToUpperInvariant()}_DB_PASSWORD", $"{service}-local"),
    }.ConnectionString;

    /// <summary>
    /// The configuration a service under test needs to run as its own role on the test database and on
    /// the test vhost, as ASP.NET Core keys.
    /// </summary>
    public static IReadOnlyDictionary<string, string> ServiceSettings(string service) => new Dictionary<string, string>
    {
        ["ConnectionStrings:Postgres"] = ServiceConnectionString(service),
        ["RabbitMq:Host"] = RabbitHost,
        ["RabbitMq:Port"] = RabbitPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RabbitMq:VirtualHost"] = RabbitVirtualHost,
        ["RabbitMq:Username"] = RabbitUser,
        ["RabbitMq:Password"] = RabbitPassword,
        ["Auth:SigningKey"] = SigningKey,
        // Functional specs make many requests as one caller; the limits have their own spec.
        ["Auth:Burst"] = "1000000",
        ["Auth:PermitsPerSecond"] = "1000000",
    };

    /// <summary>A RabbitMQ.Client connection factory for the test broker, on the test vhost unless another is named.</summary>
    public static RabbitMQ.Client.ConnectionFactory Rabbit(string? virtualHost = null) => new()
    {
        HostName = RabbitHost,
        Port = RabbitPort,
        VirtualHost = virtualHost ?? RabbitVirtualHost,
        UserName = RabbitUser,
        Password = RabbitPassword,
    };

    /// <summary>The development signing key the services under test validate with.</summary>
    public static string SigningKey => Get("AIDP_JWT_SIGNING_KEY", "aidplatform-local-development-signing-key-not-for-production");

    /// <summary>A bearer token for a role (a partner also names its NGO).</summary>
    public static string Token(string role, Guid? ngoId = null, string? subject = null) =>
        AidPlatform.ServiceDefaults.Security.Tokens.Issue(new AidPlatform.ServiceDefaults.Security.AuthOptions { SigningKey = SigningKey },
            subject ?? $"test-{role}-{ngoId}", role, ngoId);

    /// <summary>Makes every request of <paramref name="client"/> carry a token for <paramref name="role"/>.</summary>
    public static HttpClient As(this HttpClient client, string role, Guid? ngoId = null, string? subject = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token(role, ngoId, subject));
        return client;
    }

    /// <summary>A short unique name for schemas and queues of one test.</summary>
    public static string UniqueName(string prefix) => $"{prefix}_{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>A loopback port nobody listens on now, chosen by the OS (a random pick can hit an ephemeral port in use).</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string Get(string name, string fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AidPlatform.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("AidPlatform.sln not found above the test binaries; set AIDP_REPO_ROOT.");
    }
}
