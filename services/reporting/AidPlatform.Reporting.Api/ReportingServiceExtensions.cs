using AidPlatform.Reporting.Api.Clients;
using AidPlatform.Reporting.Api.Consumers;
using AidPlatform.Reporting.Api.Data;
using MassTransit;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace AidPlatform.Reporting.Api;

/// <summary>The reporting service's own parts, added after the defaults.</summary>
public static class ReportingServiceExtensions
{
    public static void AddConsumers(IBusRegistrationConfigurator bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        bus.AddConsumer<NgoRegisteredConsumer>();
        bus.AddConsumer<NgoUpdatedConsumer>();
        bus.AddConsumer<RegistrationRecordedConsumer>();
        bus.AddConsumer<ProjectRegisteredConsumer>();
        bus.AddConsumer<ProjectUpdatedConsumer>();
        bus.AddConsumer<DisbursementRecordedConsumer>();
        bus.AddConsumer<DisbursementReversedConsumer>();
    }

    public static WebApplicationBuilder AddReporting(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHostedService<ReferenceLabelSeeder>();

        var disbursementUrl = builder.Configuration["Services:Disbursement:BaseUrl"] ?? "http://127.0.0.1:5102";
        builder.Services.AddHttpClient<DisbursementClient>(http => http.BaseAddress = new Uri(disbursementUrl))
            .AddResilienceHandler("disbursement", pipeline =>
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
