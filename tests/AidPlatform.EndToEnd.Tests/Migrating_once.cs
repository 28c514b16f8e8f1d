using AidPlatform.Testing;
using Dapper;
using Npgsql;

namespace AidPlatform.EndToEnd.Tests;

/// <summary>
/// Several instances migrate nothing: the migration runs once, from the service's own image with
/// <c>--migrate-only</c> (a Kubernetes Job, a compose one-shot), and instances started with
/// <c>Migrations:Apply=false</c> check the schema's version instead, refusing an older one. On a database
/// of its own, as <c>ensure_database</c> makes it: one role per service owning its schema.
/// </summary>
[NonParallelizable]
public sealed class Migrating_once
{
    private static readonly string[] Services = ["registry", "disbursement", "reporting"];

    private readonly string database = $"{ServiceProcess.Database}_migrate";

    [SetUp]
    public async Task FreshDatabase()
    {
        await using (var admin = new NpgsqlConnection(TestEnvironment.AdminConnectionString("postgres")))
        {
            await admin.ExecuteAsync($"drop database if exists {database} with (force)");
            await admin.ExecuteAsync($"create database {database}");
        }

        await using var connection = new NpgsqlConnection(TestEnvironment.AdminConnectionString(database));
        await connection.ExecuteAsync($"revoke all on database {database} from public; grant connect, temporary on database {database} to {string.Join(", ", Services)}");
        foreach (var service in Services)
        {
            await connection.ExecuteAsync($"create schema {service} authorization {service}; alter role {service} in database {database} set search_path = {service}");
        }
    }

    [TearDown]
    public async Task DropDatabase()
    {
        await using var admin = new NpgsqlConnection(TestEnvironment.AdminConnectionString("postgres"));
        await admin.ExecuteAsync($"drop database if exists {database} with (force)");
    }

    [Test]
    public async Task An_instance_that_does_not_migrate_refuses_an_older_schema_and_starts_once_the_one_shot_has_migrated_it()
    {
        var settings = Settings("registry", apply: false);

        var refused = await ServiceProcess.RunToExit("registry", [], settings, TimeSpan.FromSeconds(90));
        Assert.That(refused.ExitCode, Is.Not.Zero, refused.Output);
        Assert.That(refused.Output, Does.Contain("lacks").And.Contain("--migrate-only"), "the refusal says what is missing and what to run");
        Assert.That(await Journal("registry"), Is.Zero, "checking wrote nothing");

        var migrated = await ServiceProcess.RunToExit("registry", ["--migrate-only"], Settings("registry", apply: true), TimeSpan.FromSeconds(90));
        Assert.That(migrated.ExitCode, Is.Zero, migrated.Output);
        var scripts = await Journal("registry");
        Assert.That(scripts, Is.GreaterThan(5), "every script of ServiceDefaults and the registry is in the journal");

        await using var instance = await ServiceProcess.Start("registry", TestEnvironment.FreePort(), settings);
        using var response = await instance.Client.GetAsync("/api/v1/reference/provinces");
        Assert.That((int)response.StatusCode, Is.EqualTo(200), "the instance serves on the migrated schema");
        Assert.That(await Journal("registry"), Is.EqualTo(scripts), "and migrated nothing itself");
    }

    [Test]
    public async Task The_one_shot_run_twice_applies_nothing_the_second_time_and_fails_visibly_without_a_database()
    {
        var first = await ServiceProcess.RunToExit("disbursement", ["--migrate-only"], Settings("disbursement", apply: true), TimeSpan.FromSeconds(90));
        var scripts = await Journal("disbursement");
        var second = await ServiceProcess.RunToExit("disbursement", ["--migrate-only"], Settings("disbursement", apply: true), TimeSpan.FromSeconds(90));

        Assert.That((first.ExitCode, second.ExitCode), Is.EqualTo((0, 0)), first.Output + "\n" + second.Output);
        Assert.That(await Journal("disbursement"), Is.EqualTo(scripts).And.GreaterThan(5));

        var nowhere = new Dictionary<string, string>(Settings("disbursement", apply: true))
        {
            ["ConnectionStrings__PostgresDirect"] = new NpgsqlConnectionStringBuilder(Connection("disbursement")) { Database = $"{database}_absent" }.ConnectionString,
        };
        var failed = await ServiceProcess.RunToExit("disbursement", ["--migrate-only"], nowhere, TimeSpan.FromSeconds(90));
        Assert.That(failed.ExitCode, Is.Not.Zero, "the direct connection is the one migrations use, and a failure is the exit code");
    }

    private Dictionary<string, string> Settings(string service, bool apply) => new()
    {
        ["ConnectionStrings__Postgres"] = Connection(service),
        ["Migrations__Apply"] = apply ? "true" : "false",
        ["Migrations__WaitSeconds"] = "1",
    };

    private string Connection(string service) => new NpgsqlConnectionStringBuilder(TestEnvironment.ServiceConnectionString(service)) { Database = database }.ConnectionString;

    private async Task<long> Journal(string schema)
    {
        await using var connection = new NpgsqlConnection(TestEnvironment.AdminConnectionString(database));
        return await connection.ExecuteScalarAsync<bool>($"select to_regclass('{schema}.schema_versions') is not null")
            ? await connection.ExecuteScalarAsync<long>($"select count(*) from {schema}.schema_versions")
            : 0;
    }
}
