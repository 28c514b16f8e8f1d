using AidPlatform.Disbursement.Api.Data;

namespace AidPlatform.Disbursement.Api;

/// <summary>The disbursement service's own services, added after the defaults.</summary>
public static class DisbursementServiceExtensions
{
    public static WebApplicationBuilder AddDisbursement(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHostedService<ExchangeRateSeeder>();
        return builder;
    }
}
