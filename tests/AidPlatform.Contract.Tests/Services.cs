using System.Text.Json.Nodes;
using AidPlatform.Testing;

namespace AidPlatform.Contract.Tests;

/// <summary>
/// The three services as processes on a database and vhost of the contract suite's own
/// (<c>AIDP_CONTRACT_DATABASE</c>, <c>AIDP_CONTRACT_VHOST</c>), started once for every fixture here.
/// </summary>
[SetUpFixture]
public sealed class Services
{
    public static readonly string[] Names = ["registry", "disbursement", "reporting"];

    private static readonly Dictionary<string, ServiceProcess> Running = [];
    private static readonly Dictionary<string, JsonObject> Documents = [];

    public static string Database => Environment.GetEnvironmentVariable("AIDP_CONTRACT_DATABASE") is { Length: > 0 } db ? db : "aidplatform_test_contract";

    public static string VirtualHost => Environment.GetEnvironmentVariable("AIDP_CONTRACT_VHOST") is { Length: > 0 } vhost ? vhost : "aidplatform_test_contract";

    public static Uri Address(string name) => Running[name].BaseAddress;

    /// <summary>The live document of a service, fetched once.</summary>
    public static JsonObject Document(string name) => Documents[name];

    [OneTimeSetUp]
    public async Task Start_the_three_services()
    {
        var ports = Names.ToDictionary(name => name, _ => TestEnvironment.FreePort());
        foreach (var name in new[] { "reporting", "disbursement", "registry" })
        {
            var settings = new Dictionary<string, string>
            {
                ["ConnectionStrings__Postgres"] = new Npgsql.NpgsqlConnectionStringBuilder(TestEnvironment.ServiceConnectionString(name)) { Database = Database }.ConnectionString,
                ["RabbitMq__VirtualHost"] = VirtualHost,
                ["Services__Registry__BaseUrl"] = $"http://127.0.0.1:{ports["registry"]}",
                ["Services__Disbursement__BaseUrl"] = $"http://127.0.0.1:{ports["disbursement"]}",
                // The rule checks call every operation; rate limiting has its own end-to-end spec.
                ["Auth__Burst"] = "1000000",
                ["Auth__PermitsPerSecond"] = "1000000",
            };
            Running[name] = await ServiceProcess.Start(name, ports[name], settings);
        }

        using var anonymous = new HttpClient();
        foreach (var name in Names)
        {
            var json = await anonymous.GetStringAsync(new Uri(Address(name), "/swagger/v1/swagger.json"));
            Documents[name] = JsonNode.Parse(json)!.AsObject();
        }
    }

    [OneTimeTearDown]
    public async Task Stop_the_services()
    {
        foreach (var service in Running.Values)
        {
            await service.DisposeAsync();
        }
    }

    /// <summary>A client of <paramref name="name"/> carrying a token for <paramref name="role"/>, or none.</summary>
    public static HttpClient Client(string name, string? role = "ministry", Guid? ngoId = null)
    {
        var client = new HttpClient { BaseAddress = Address(name), Timeout = TimeSpan.FromSeconds(120) };
        return role is null ? client : client.As(role, ngoId);
    }
}
