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

    private static readonly Dictionary<string, JsonObject> Documents = [];
    private static Platform platform = null!;

    public static string Database => Environment.GetEnvironmentVariable("AIDP_CONTRACT_DATABASE") is { Length: > 0 } db ? db : "aidplatform_test_contract";

    public static string VirtualHost => Environment.GetEnvironmentVariable("AIDP_CONTRACT_VHOST") is { Length: > 0 } vhost ? vhost : "aidplatform_test_contract";

    public static Uri Address(string name) => platform[name].BaseAddress;

    /// <summary>The live document of a service, fetched once.</summary>
    public static JsonObject Document(string name) => Documents[name];

    [OneTimeSetUp]
    public async Task Start_the_three_services()
    {
        // The rule checks call every operation: the platform's raised rate limits suit them.
        platform = new Platform(new PlatformOptions { Database = Database, VirtualHost = VirtualHost });
        await platform.StartAll();

        using var anonymous = new HttpClient();
        foreach (var name in Names)
        {
            var json = await anonymous.GetStringAsync(new Uri(Address(name), "/swagger/v1/swagger.json"));
            Documents[name] = JsonNode.Parse(json)!.AsObject();
        }
    }

    [OneTimeTearDown]
    public async Task Stop_the_services() => await platform.DisposeAsync();

    /// <summary>A client of <paramref name="name"/> carrying a token for <paramref name="role"/>, or none.</summary>
    public static HttpClient Client(string name, string? role = "ministry", Guid? ngoId = null)
    {
        var client = new HttpClient { BaseAddress = Address(name), Timeout = TimeSpan.FromSeconds(120) };
        return role is null ? client : client.As(role, ngoId);
    }
}
