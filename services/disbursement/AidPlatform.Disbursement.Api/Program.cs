using AidPlatform.Disbursement.Api;
using AidPlatform.Disbursement.Api.Endpoints;
using AidPlatform.ServiceDefaults;
using AidPlatform.ServiceDefaults.Data;

if (MigrateOnly.Requested(args))
{
    await MigrateOnly.Run<Program>(args, "disbursement");
    return;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults<Program>("disbursement", DisbursementServiceExtensions.AddConsumers);
builder.AddDisbursement();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapDisbursementEndpoints();
app.MapImportEndpoints();
app.MapExchangeRateEndpoints();
app.Run();

/// <summary>The disbursement service: the append-only aid ledger, FX to USD, batch and CSV import.</summary>
public partial class Program;
