using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http.Resilience;
using AidPlatform.ServiceDefaults.Security;
using Polly;

namespace AidPlatform.ServiceDefaults.Http;

/// <summary>How a service calls another over HTTP.</summary>
public static class ServiceClientExtensions
{
    /// <summary>
    /// A typed client for another service at <paramref name="baseUrl"/>, behind one pipeline, outermost
    /// first: an overall 10 s deadline, three jittered exponential retries, a circuit breaker that opens
    /// for 15 s when half of at least five calls in 30 s fail, and a 3 s deadline per attempt. Each call
    /// carries this service's own token.
    /// </summary>
    public static IHttpClientBuilder AddServiceClient<TClient>(this IServiceCollection services, string name, string baseUrl)
        where TClient : class
    {
        var client = services.AddHttpClient<TClient>(http => http.BaseAddress = new Uri(baseUrl))
            .AddHttpMessageHandler(provider => new ServiceTokenHandler(provider.GetRequiredService<AuthOptions>(), provider.GetRequiredService<ServiceSchema>()));
        client.AddResilienceHandler(name, pipeline =>
            {
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
        return client;
    }
}
