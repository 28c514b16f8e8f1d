using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AidPlatform.ServiceDefaults.Data;

/// <summary>
/// <c>--migrate-only</c>: migrates the service's schema and exits, serving and consuming nothing: the one-shot a
/// Kubernetes Job or a compose service runs before the instances, which then start with
/// <c>Migrations:Apply=false</c> and only check the version. The exit code says whether it worked.
/// </summary>
public static class MigrateOnly
{
    public const string Flag = "--migrate-only";

    public static bool Requested(string[] args) => args.Contains(Flag, StringComparer.Ordinal);

    /// <summary>Migrates the schema of <paramref name="service"/> with the configuration the service itself would read.</summary>
    public static async Task Run<TProgram>(string[] args, string service)
    {
        var builder = Host.CreateApplicationBuilder([.. args.Where(a => a != Flag)]);
        using var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(MigrateOnly).FullName!);
        try
        {
            var connectionString = DatabaseExtensions.DirectConnectionString(builder.Configuration, service);
            await MigrationHostedService.Retry.ExecuteAsync(
                async token => await MigrationRunner.Run(connectionString, service, typeof(TProgram).Assembly, logger, token), CancellationToken.None);
            logger.LogInformation("Schema {Schema} is migrated; exiting ({Flag})", service, Flag);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogCritical(e, "Schema {Schema} could not be migrated", service);
            Environment.ExitCode = 1;
        }
    }
}
