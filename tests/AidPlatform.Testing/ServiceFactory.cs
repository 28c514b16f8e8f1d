using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace AidPlatform.Testing;

/// <summary>
/// A service in process on the real test database (as the service's own role) and the real broker, in
/// Development, logging warnings only; <paramref name="settings"/> (ASP.NET Core keys) go over the defaults,
/// e.g. the base URL of a <see cref="FakeService"/> standing in for another service.
/// </summary>
/// <param name="service">The service's name as its role and schema know it: registry, disbursement, reporting.</param>
/// <param name="settings">Settings over <see cref="TestEnvironment.ServiceSettings"/>.</param>
public class ServiceFactory<TProgram>(string service, IReadOnlyDictionary<string, string>? settings = null) : WebApplicationFactory<TProgram>
    where TProgram : class
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Development");
        foreach (var (key, value) in TestEnvironment.ServiceSettings(service).Concat(settings ?? new Dictionary<string, string>()))
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
    }
}
