using AidPlatform.Testing;
using Dapper;
using Npgsql;

namespace AidPlatform.ServiceDefaults.Tests;

/// <summary>The roles that <c>deploy/local</c> creates: each owns its schema and has no rights on the others.</summary>
public sealed class Schema_isolation
{
    [OneTimeSetUp]
    public async Task Create_a_table_in_each_schema()
    {
        await using var admin = new NpgsqlConnection(TestEnvironment.AdminConnectionString());
        foreach (var service in new[] { "registry", "disbursement", "reporting" })
        {
            await admin.ExecuteAsync($"set role {service}; create table if not exists {service}.isolation_probe (id int); reset role;");
        }
    }

    [TestCase("registry", "disbursement")]
    [TestCase("registry", "reporting")]
    [TestCase("disbursement", "registry")]
    [TestCase("reporting", "disbursement")]
    public async Task A_service_role_cannot_read_another_services_schema(string role, string otherSchema)
    {
        await using var connection = new NpgsqlConnection(TestEnvironment.ServiceConnectionString(role));

        var error = Assert.ThrowsAsync<PostgresException>(async () =>
            await connection.ExecuteScalarAsync<long>($"select count(*) from {otherSchema}.isolation_probe"));

        Assert.That(error!.SqlState, Is.EqualTo(PostgresErrorCodes.InsufficientPrivilege));
    }

    [Test]
    public async Task A_service_role_cannot_create_in_another_services_schema()
    {
        await using var connection = new NpgsqlConnection(TestEnvironment.ServiceConnectionString("registry"));

        var error = Assert.ThrowsAsync<PostgresException>(async () =>
            await connection.ExecuteAsync("create table disbursement.intruder (id int)"));

        Assert.That(error!.SqlState, Is.EqualTo(PostgresErrorCodes.InsufficientPrivilege));
    }

    [Test]
    public async Task A_service_role_owns_its_own_schema()
    {
        await using var connection = new NpgsqlConnection(TestEnvironment.ServiceConnectionString("registry"));
        var table = TestEnvironment.UniqueName("own");

        await connection.ExecuteAsync($"create table registry.{table} (id int); insert into registry.{table} values (1);");

        Assert.That(await connection.ExecuteScalarAsync<long>($"select count(*) from registry.{table}"), Is.EqualTo(1));
        await connection.ExecuteAsync($"drop table registry.{table}");
    }
}
