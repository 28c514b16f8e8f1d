using AidPlatform.Reference;
using AidPlatform.Registry.Api.Data;
using AidPlatform.Registry.Api.Messaging;
using MassTransit;

namespace AidPlatform.Registry.Api;

/// <summary>The registry's own services, added after the defaults.</summary>
public static class RegistryServiceExtensions
{
    public static void AddConsumers(IBusRegistrationConfigurator bus)
    {
        ArgumentNullException.ThrowIfNull(bus);
        bus.AddConsumer<DisbursementRecordedConsumer>();
        bus.AddConsumer<DisbursementsImportedConsumer>();
    }

    public static WebApplicationBuilder AddRegistry(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Registered after the migration runner, so the tables exist when it seeds them.
        builder.Services.AddHostedService<ReferenceDataSeeder>();
        builder.Services.AddSingleton(ReferenceData.Instance);
        builder.Services.AddSingleton<NgoStore>();
        builder.Services.AddSingleton<RegistrationStore>();
        builder.Services.AddSingleton<ProjectStore>();
        builder.Services.AddSingleton<ResultStore>();
        builder.Services.AddSingleton<ApprovalStore>();
        builder.Services.AddSingleton((builder.Configuration.GetSection(ApprovalOptions.Section).Get<ApprovalOptions>() ?? new ApprovalOptions()).Limits());
        builder.Services.AddSingleton<ReferenceStore>();
        builder.Services.AddSingleton<ExpiryNoticeStore>();
        builder.Services.AddSingleton(builder.Configuration.GetSection(RegistrationOptions.Section).Get<RegistrationOptions>() ?? new RegistrationOptions());
        builder.Services.AddHostedService<RegistrationExpiryScanner>();
        return builder;
    }
}
