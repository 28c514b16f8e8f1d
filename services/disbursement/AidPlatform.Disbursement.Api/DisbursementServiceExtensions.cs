using AidPlatform.Disbursement.Api.Clients;
using AidPlatform.Disbursement.Api.Consumers;
using AidPlatform.Disbursement.Api.Data;
using AidPlatform.Disbursement.Api.Importing;
using MassTransit;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace AidPlatform.Disbursement.Api;

/// <summary>The disbursement service's own parts, added after the defaults.</summary>
public static class DisbursementServiceExtensions
{
    public static void AddConsumers(IBusRegistrationConfigurator bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        bus.AddConsumer<ProjectRegisteredConsumer>();
        bus.AddConsumer<ProjectUpdatedConsumer>();
    }

    public static WebApplicationBuilder AddDisbursement(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHostedService<ExchangeRateSeeder>();
        builder.Services.Configure<ImportOptions>(builder.Configuration.GetSection(ImportOptions.Section));
        builder.Services.AddSingleton<ImportSignal>();
        builder.Services.AddHostedService<ImportWorker>();

        var registryUrl = builder.Configuration["Services:Registry:BaseUrl"] ?? "http://127.0.0.1:5101";
        builder.Services.AddHttpClient<RegistryClient>(http => http.BaseAddress = new Uri(registryUrl))
            .AddResilienceHandler("registry", pipeline =>
            {
                // Outermost first: an overall deadline, jittered retries, a breaker, a deadline per attempt.
                pipeline.AddTimeout(TimeSpan.FromSeconds(10));
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = 3,
                    Delay = TimeSpan.FromMilliseconds(200),
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                });
                pipeline.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
                {
                    SamplingDuration = TimeSpan.FromSeconds(30),
                    FailureRatio = 0.5,
                    MinimumThroughput = 5,
                    BreakDuration = TimeSpan.FromSeconds(15),
                });
                pipeline.AddTimeout(TimeSpan.FromSeconds(3));
            });
        return builder;
    }
}
