using AidPlatform.ServiceDefaults.Data;
using AidPlatform.ServiceDefaults.Tests.Infrastructure;
using AidPlatform.Testing;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace AidPlatform.ServiceDefaults.Tests;

public sealed class Migrations
{
    // ServiceDefaults' own scripts and this assembly's, as embedded.
    private static readonly int ScriptCount = new[] { typeof(MigrationRunner).Assembly, typeof(TestService).Assembly }
        .Sum(a => a.GetManifestResourceNames().Count(n => n.Contains(".Data.Migrations.", StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal)));

    [Test]
    public async Task Running_them_twice_applies_each_script_once()
    {
        var (schema, connectionString) = await NewSchema();

        await MigrationRunner.Run(connectionString, schema, typeof(TestService).Assembly, NullLogger.Instance);
        await MigrationRunner.Run(connectionString, schema, typeof(TestService).Assembly, NullLogger.Instance);

        await using var connection = new NpgsqlConnection(connectionString);
        Assert.That(ScriptCount, Is.GreaterThanOrEqualTo(3));
        Assert.That(await connection.ExecuteScalarAsync<long>("select count(*) from schema_versions"), Is.EqualTo(ScriptCount));
        Assert.That(await Tables(connection, schema), Is.SupersetOf(new[] { "outbox_messages", "inbox_messages", "idempotency_keys", "widgets", "effects" }));
    }

    [Test]
    public async Task Two_instances_starting_together_apply_each_script_once()
    {
        var (schema, connectionString) = await NewSchema();

        await Task.WhenAll(
            MigrationRunner.Run(connectionString, schema, typeof(TestService).Assembly, NullLogger.Instance),
            MigrationRunner.Run(connectionString, schema, typeof(TestService).Assembly, NullLogger.Instance));

        await using var connection = new NpgsqlConnection(connectionString);
        Assert.That(await connection.ExecuteScalarAsync<long>("select count(*) from schema_versions"), Is.EqualTo(ScriptCount));
    }

    [Test]
    public async Task Pending_names_every_script_before_a_run_and_none_after_and_changes_nothing()
    {
        var (schema, connectionString) = await NewSchema();

        var before = MigrationRunner.Pending(connectionString, schema, typeof(TestService).Assembly, NullLogger.Instance);
        var again = MigrationRunner.Pending(connectionString, schema, typeof(TestService).Assembly, NullLogger.Instance);
        await MigrationRunner.Run(connectionString, schema, typeof(TestService).Assembly, NullLogger.Instance);
        var after = MigrationRunner.Pending(connectionString, schema, typeof(TestService).Assembly, NullLogger.Instance);

        Assert.That(before, Has.Count.EqualTo(ScriptCount));
        Assert.That(again, Is.EqualTo(before), "asking migrated nothing");
        Assert.That(after, Is.Empty);
    }

    private static async Task<(string Schema, string ConnectionString)> NewSchema()
    {
        var schema = TestEnvironment.UniqueName("migrations");
        await using (var admin = new NpgsqlConnection(TestEnvironment.AdminConnectionString()))
        {
            await admin.ExecuteAsync($"create schema {schema}");
        }

        return (schema, new NpgsqlConnectionStringBuilder(TestEnvironment.AdminConnectionString()) { SearchPath = schema }.ConnectionString);
    }

    private static async Task<IEnumerable<string>> Tables(NpgsqlConnection connection, string schema) =>
        await connection.QueryAsync<string>("select table_name from information_schema.tables where table_schema = @schema", new { schema });
}
