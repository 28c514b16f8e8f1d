using AidPlatform.Disbursement.Api.Data;
using AidPlatform.Disbursement.Api.Data.Importing;
using AidPlatform.Disbursement.Api.Messaging;
using AidPlatform.ServiceDefaults.Http;
using MassTransit;

namespace AidPlatform.Disbursement.Api;

/// <summary>The disbursement service's own parts, added after the defaults.</summary>
public static class DisbursementServiceExtensions
{
    public static void AddConsumers(IBusRegistrationConfigurator bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        bus.AddConsumer<ProjectRegisteredConsumer>();
        bus.AddConsumer<ProjectUpdatedConsumer>();
        bus.AddConsumer<RegistrationRecordedConsumer>();
        bus.AddConsumer<RegistrationChangedConsumer>();
    }

    public static WebApplicationBuilder AddDisbursement(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHostedService<ExchangeRateSeeder>();
        builder.Services.AddSingleton<LedgerStore>();
        builder.Services.AddSingleton<ProjectCopy>();
        builder.Services.AddSingleton<CertificateCopy>();
        builder.Services.AddSingleton<ExchangeRateStore>();
        builder.Services.AddSingleton<RateCoverageStore>();
        // Per use: it holds the registry's typed HttpClient.
        builder.Services.AddTransient<LedgerReferences>();

        builder.Services.Configure<ImportOptions>(builder.Configuration.GetSection(ImportOptions.Section));
        builder.Services.AddSingleton<ImportJobs>();
        builder.Services.AddSingleton<ImportSignal>();
        builder.Services.AddHostedService<ImportWorker>();
        builder.Services.AddSingleton<ImportEventWriter>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ImportEventWriter>());

        builder.Services.AddServiceClient<RegistryClient>("registry", builder.Configuration["Services:Registry:BaseUrl"] ?? "http://127.0.0.1:5101");
        return builder;
    }
}
