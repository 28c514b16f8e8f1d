using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace AidPlatform.ServiceDefaults.Messaging;

/// <summary>MassTransit over RabbitMQ, configured once for every service.</summary>
public static class MessagingExtensions
{
    internal static IServiceCollection AddMessaging(this IServiceCollection services, IConfiguration configuration, ServiceSchema service, Action<IBusRegistrationConfigurator>? configureConsumers)
    {
        var rabbit = configuration.GetSection(RabbitMqOptions.Section).Get<RabbitMqOptions>() ?? new RabbitMqOptions();
        services.Configure<OutboxOptions>(configuration.GetSection(OutboxOptions.Section));
        services.AddSingleton<Inbox>();

        services.AddMassTransit(bus =>
        {
            // MassTransit 8.5 otherwise reports usage to a public host; nothing here calls out.
            bus.DisableUsageTelemetry();
            // Queues are named per service (reporting-project-registered), so each service has its own copy.
            bus.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(service.Name, false));
            configureConsumers?.Invoke(bus);

            bus.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(rabbit.Host, rabbit.Port, rabbit.VirtualHost, host =>
                {
                    host.Username(rabbit.Username);
                    host.Password(rabbit.Password);
                    host.PublisherConfirmation = true;
                    host.RequestedConnectionTimeout(TimeSpan.FromSeconds(10));
                });
                cfg.PrefetchCount = rabbit.PrefetchCount;
                cfg.Durable = true;
                // A few quick retries, then the message goes to <queue>_error and the consumer carries on
                // with the others. (A database outage is waited out inside the inbox, not here.)
                cfg.UseMessageRetry(retry => retry.Exponential(5, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(200)));
                cfg.ConfigureEndpoints(context);
            });
        });

        services.AddOptions<MassTransitHostOptions>().Configure(host =>
        {
            // Queues and bindings exist before the service takes traffic or publishes.
            host.WaitUntilStarted = true;
            host.StartTimeout = TimeSpan.FromSeconds(60);
            host.StopTimeout = TimeSpan.FromSeconds(30);
        });

        services.AddHostedService<OutboxRelay>();
        return services;
    }
}
