using AidPlatform.Reporting.Api;
using AidPlatform.Reporting.Api.Endpoints;
using AidPlatform.ServiceDefaults;
using AidPlatform.ServiceDefaults.Data;

if (MigrateOnly.Requested(args))
{
    await MigrateOnly.Run<Program>(args, "reporting");
    return;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults<Program>("reporting", ReportingServiceExtensions.AddConsumers);
builder.AddReporting();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapReportEndpoints();
app.MapIndicatorReportEndpoints();
app.MapFreshnessEndpoints();
app.Run();

/// <summary>The reporting service: read models projected from events, reports, exports and open data.</summary>
public partial class Program;
