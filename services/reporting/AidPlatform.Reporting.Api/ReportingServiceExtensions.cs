using AidPlatform.Reporting.Api.Data;
using AidPlatform.Reporting.Api.Messaging;
using AidPlatform.ServiceDefaults.Http;
using MassTransit;

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
        bus.AddConsumer<RegistrationChangedConsumer>();
        bus.AddConsumer<RegistrationExpiringConsumer>();
        bus.AddConsumer<ProjectRegisteredConsumer>();
        bus.AddConsumer<ProjectUpdatedConsumer>();
        bus.AddConsumer<ResultRecordedConsumer>();
        bus.AddConsumer<ResultUpdatedConsumer>();
        bus.AddConsumer<DisbursementRecordedConsumer, BatchedConsumerDefinition<DisbursementRecordedConsumer>>();
        bus.AddConsumer<DisbursementReversedConsumer, BatchedConsumerDefinition<DisbursementReversedConsumer>>();
        // An import's parts are batches already, a few hundred KB each: a few at a time.
        bus.AddConsumer<DisbursementsImportedConsumer>().Endpoint(e => (e.PrefetchCount, e.ConcurrentMessageLimit) = (4, 2));
    }

    public static WebApplicationBuilder AddReporting(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHostedService<ReferenceLabelSeeder>();
        builder.Services.Configure<ProjectionOptions>(builder.Configuration.GetSection(ProjectionOptions.Section));
        builder.Services.AddSingleton<LedgerBatches>();
        builder.Services.AddHostedService(services => services.GetRequiredService<LedgerBatches>());
        builder.Services.AddSingleton<ReportQueries>();
        builder.Services.AddSingleton<IndicatorQueries>();

        builder.Services.AddServiceClient<DisbursementClient>("disbursement", builder.Configuration["Services:Disbursement:BaseUrl"] ?? "http://127.0.0.1:5102");
        return builder;
    }
}
