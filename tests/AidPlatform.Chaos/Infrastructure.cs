using System.Diagnostics;
using System.Text.Json;
using AidPlatform.Testing;
using Dapper;
using Npgsql;

namespace AidPlatform.Chaos;

/// <summary>
/// The run's own PostgreSQL and RabbitMQ (tests/chaos starts them under .local/chaos, on ports of their own),
/// which this suite may kill and restart, and what it reads from them.
/// </summary>
public sealed class Infrastructure
{
    private static string Setting(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : throw new InvalidOperationException($"{name} is not set: run the suite with tests/chaos.");

    private readonly string pgDirectory = Setting("AIDP_CHAOS_PG_DIR");
    private readonly string rabbitDirectory = Setting("AIDP_CHAOS_RABBIT_DIR");
    private readonly string rabbitNode = Setting("AIDP_RABBIT_NODE");
    private readonly int rabbitDistPort = int.Parse(Setting("AIDP_RABBIT_DIST_PORT"), System.Globalization.CultureInfo.InvariantCulture);

    public string Database { get; } = ServiceProcess.Database;

    public string VirtualHost { get; } = ServiceProcess.VirtualHost;

    public Task KillBroker() => Scratch.KillRabbit(rabbitNode);

    public Task StartBroker() => Scratch.StartRabbit(rabbitDirectory, TestEnvironment.RabbitPort, rabbitDistPort, rabbitNode);

    public Task StopDatabaseImmediately() => Scratch.StopPostgres(pgDirectory, immediate: true);

    public Task StartDatabase() => Scratch.StartPostgres(pgDirectory, TestEnvironment.PgPort);

    public NpgsqlConnection Connect() => new(TestEnvironment.AdminConnectionString(Database));

    public async Task<T> Query<T>(string sql)
    {
        await using var connection = Connect();
        return await connection.QuerySingleAsync<T>(sql);
    }

    /// <summary>Messages waiting in every queue of the vhost, error queues included.</summary>
    public async Task<Dictionary<string, long>> Queues()
    {
        var start = new ProcessStartInfo("rabbitmqctl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-q", "-n", rabbitNode, "list_queues", "-p", VirtualHost, "name", "messages", "--formatter", "json" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("rabbitmqctl did not start.");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl list_queues exited {process.ExitCode}: {await process.StandardError.ReadToEndAsync()}");
        }

        return JsonDocument.Parse(output).RootElement.EnumerateArray()
            .ToDictionary(q => q.GetProperty("name").GetString()!, q => q.GetProperty("messages").GetInt64());
    }
}
