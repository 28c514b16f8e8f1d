using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace AidPlatform.ServiceDefaults.Data;

/// <summary>
/// Migrates the service's schema before anything else starts (it is registered first), retrying for a
/// while so that a service started together with PostgreSQL waits for it instead of dying. With
/// <c>Migrations:Apply</c> false (several instances, the migration run once by <see cref="MigrateOnly"/>)
/// it only checks that every script is in the journal, waiting up to <c>Migrations:WaitSeconds</c> for a
/// migration still running, and refuses to start on an older schema.
/// </summary>
internal sealed class MigrationHostedService(IConfiguration configuration, ServiceSchema service, ILogger<MigrationHostedService> logger) : IHostedService
{
    internal static readonly ResiliencePipeline Retry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<Npgsql.NpgsqlException>(e => e.IsTransient),
            MaxRetryAttempts = 10,
            Delay = TimeSpan.FromSeconds(1),
            BackoffType = DelayBackoffType.Exponential,
            MaxDelay = TimeSpan.FromSeconds(5),
            UseJitter = true,
        })
        .Build();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var connectionString = DatabaseExtensions.DirectConnectionString(configuration, service.Name);
        if (configuration.GetValue("Migrations:Apply", true))
        {
            await Retry.ExecuteAsync(
                async token => await MigrationRunner.Run(connectionString, service.Name, service.Assembly, logger, token),
                cancellationToken);
            logger.LogInformation("Schema {Schema} is migrated", service.Name);
            return;
        }

        var deadline = DateTimeOffset.UtcNow.AddSeconds(configuration.GetValue("Migrations:WaitSeconds", 120));
        while (true)
        {
            var pending = await Retry.ExecuteAsync(_ => ValueTask.FromResult(MigrationRunner.Pending(connectionString, service.Name, service.Assembly, logger)), cancellationToken);
            if (pending.Count == 0)
            {
                logger.LogInformation("Schema {Schema} is at the version this build expects", service.Name);
                return;
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                throw new InvalidOperationException(
                    $"Schema {service.Name} lacks {pending.Count} migration(s) this build needs ({string.Join(", ", pending)}): run the service once with {MigrateOnly.Flag} first.");
            }

            logger.LogInformation("Schema {Schema} waits for {Count} migration(s); checking again", service.Name, pending.Count);
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
