using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace AidPlatform.ServiceDefaults.Data;

/// <summary>
/// Migrates the service's schema before anything else starts (it is registered first), retrying for a
/// while so that a service started together with PostgreSQL waits for it instead of dying.
/// </summary>
internal sealed class MigrationHostedService(IConfiguration configuration, ServiceSchema service, ILogger<MigrationHostedService> logger) : IHostedService
{
    private static readonly ResiliencePipeline Retry = new ResiliencePipelineBuilder()
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
        var connectionString = DatabaseExtensions.ServiceConnectionString(configuration, service.Name);
        await Retry.ExecuteAsync(
            async token => await MigrationRunner.Run(connectionString, service.Name, service.Assembly, logger, token),
            cancellationToken);
        logger.LogInformation("Schema {Schema} is migrated", service.Name);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
