using System.Reflection;
using Dapper;
using DbUp;
using DbUp.Engine;
using DbUp.Engine.Output;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace AidPlatform.ServiceDefaults.Data;

/// <summary>
/// Applies the numbered <c>Data/Migrations/*.sql</c> scripts embedded in ServiceDefaults (outbox, inbox,
/// idempotency) and then those of the service, into the service's schema. Safe to run twice and from
/// two instances at once: the journal skips what ran, and an advisory lock serialises the runners.
/// </summary>
public static class MigrationRunner
{
    /// <summary>Runs the migrations; throws when a script fails, leaving that script's transaction rolled back.</summary>
    public static async Task Run(string connectionString, string schema, Assembly serviceAssembly, ILogger logger, CancellationToken cancellationToken = default)
    {
        await using var lockConnection = new NpgsqlConnection(connectionString);
        await lockConnection.OpenAsync(cancellationToken);
        var lockKey = $"aidplatform-migrations:{schema}";
        await lockConnection.ExecuteAsync("select pg_advisory_lock(hashtext(@lockKey))", new { lockKey });
        try
        {
            var result = Engine(connectionString, schema, serviceAssembly, logger).PerformUpgrade();
            if (!result.Successful)
            {
                throw new InvalidOperationException($"Migration {result.ErrorScript?.Name} failed for schema {schema}.", result.Error);
            }
        }
        finally
        {
            await lockConnection.ExecuteAsync("select pg_advisory_unlock(hashtext(@lockKey))", new { lockKey });
        }
    }

    /// <summary>
    /// The scripts not yet in the schema's journal, by name: what an instance that does not migrate (the
    /// migration runs once, from <see cref="MigrateOnly"/>) checks before it starts. Reads, changes nothing.
    /// </summary>
    public static IReadOnlyList<string> Pending(string connectionString, string schema, Assembly serviceAssembly, ILogger logger) =>
        [.. Engine(connectionString, schema, serviceAssembly, logger).GetScriptsToExecute().Select(s => s.Name)];

    private static UpgradeEngine Engine(string connectionString, string schema, Assembly serviceAssembly, ILogger logger)
    {
        // DbUp runs CREATE SCHEMA IF NOT EXISTS for any schema it is told of, or finds in the search path,
        // and that needs CREATE on the database, which service roles do not have. So DbUp gets a plain
        // connection, its journal is qualified, and each script runs with the schema as its search path.
        var dbUpConnectionString = new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = null }.ConnectionString;
        return DeployChanges.To
            .PostgresqlDatabase(dbUpConnectionString)
            .WithScriptsEmbeddedInAssembly(typeof(MigrationRunner).Assembly, IsMigration, new SqlScriptOptions { RunGroupOrder = 0 })
            .WithScriptsEmbeddedInAssembly(serviceAssembly, IsMigration, new SqlScriptOptions { RunGroupOrder = 1 })
            .JournalToPostgresqlTable(schema, "schema_versions")
            .WithPreprocessor(new SchemaSearchPath(schema))
            .WithTransactionPerScript()
            .WithVariablesDisabled()
            .LogTo(new UpgradeLog(logger))
            .Build();
    }

    private static bool IsMigration(string resourceName) =>
        resourceName.Contains(".Data.Migrations.", StringComparison.Ordinal) && resourceName.EndsWith(".sql", StringComparison.Ordinal);

    /// <summary>Runs a script with its service's schema as search path; SET LOCAL ends with the script's transaction.</summary>
    private sealed class SchemaSearchPath(string schema) : IScriptPreprocessor
    {
        public string Process(string contents) => $"set local search_path to \"{schema}\";\n{contents}";
    }

    /// <summary>DbUp formats with string.Format placeholders; we log the formatted text as one structured field.</summary>
    private sealed class UpgradeLog(ILogger logger) : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) => logger.LogTrace("{DbUp}", Format(format, args));

        public void LogDebug(string format, params object[] args) => logger.LogDebug("{DbUp}", Format(format, args));

        public void LogInformation(string format, params object[] args) => logger.LogInformation("{DbUp}", Format(format, args));

        public void LogWarning(string format, params object[] args) => logger.LogWarning("{DbUp}", Format(format, args));

        public void LogError(string format, params object[] args) => logger.LogError("{DbUp}", Format(format, args));

        public void LogError(Exception ex, string format, params object[] args) => logger.LogError(ex, "{DbUp}", Format(format, args));

        private static string Format(string format, object[] args) =>
            args.Length == 0 ? format : string.Format(System.Globalization.CultureInfo.InvariantCulture, format, args);
    }
}
