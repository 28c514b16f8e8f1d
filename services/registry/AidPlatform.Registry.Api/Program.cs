using AidPlatform.Registry.Api;
using AidPlatform.Registry.Api.Endpoints;
using AidPlatform.ServiceDefaults;
using AidPlatform.ServiceDefaults.Data;

if (MigrateOnly.Requested(args))
{
    await MigrateOnly.Run<Program>(args, "registry");
    return;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults<Program>("registry", RegistryServiceExtensions.AddConsumers);
builder.AddRegistry();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapReferenceEndpoints();
app.MapNgoEndpoints();
app.MapRegistrationEndpoints();
app.MapProjectEndpoints();
app.MapResultEndpoints();
app.MapApprovalEndpoints();
app.Run();

/// <summary>The registry service: NGOs, registration certificates, projects with their results, and reference data.</summary>
public partial class Program;
