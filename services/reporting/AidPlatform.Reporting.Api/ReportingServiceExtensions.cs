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
        bus.AddConsumer<ProjectRegisteredConsumer>();
        bus.AddConsumer<ProjectUpdatedConsumer>();
        bus.AddConsumer<DisbursementRecordedConsumer>();
        bus.AddConsumer<DisbursementReversedConsumer>();
    }

    public static WebApplicationBuilder AddReporting(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHostedService<ReferenceLabelSeeder>();
        builder.Services.AddSingleton<ReportQueries>();

        builder.Services.AddServiceClient<DisbursementClient>("disbursement", builder.Configuration["Services:Disbursement:BaseUrl"] ?? "http://127.0.0.1:5102");
        return builder;
    }
}
