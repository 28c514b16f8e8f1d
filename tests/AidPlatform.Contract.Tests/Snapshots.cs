using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using AidPlatform.Testing;

namespace AidPlatform.Contract.Tests;

/// <summary>
/// The generated clients and the linters work from the committed snapshots (OpenApi/*.json): each must be
/// what its service serves now. <c>tests/contract-refresh</c> rewrites them after an endpoint changes.
/// </summary>
public sealed class Snapshots
{
    public static string PathOf(string service) =>
        Path.Combine(TestEnvironment.RepoRoot, "tests", "AidPlatform.Contract.Tests", "OpenApi", $"{service}.json");

    [TestCaseSource(typeof(Services), nameof(Services.Names))]
    public async Task The_committed_snapshot_is_the_live_document(string service)
    {
        var live = Services.Document(service);
        if (Environment.GetEnvironmentVariable("AIDP_CONTRACT_REFRESH") == "1")
        {
            await File.WriteAllTextAsync(PathOf(service), live.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
            Assert.Pass($"rewrote {PathOf(service)}");
        }

        var snapshot = JsonNode.Parse(await File.ReadAllTextAsync(PathOf(service)))!;
        var differences = new List<string>();
        Compare(snapshot, live, "$", differences);

        Assert.That(differences, Is.Empty,
            $"{service}'s document differs from OpenApi/{service}.json; if the change is meant, run tests/contract-refresh and commit the snapshot with it. First differences:\n"
            + string.Join('\n', differences.Take(20)));
    }

    /// <summary>Structural equality, key order ignored, naming each differing path.</summary>
    private static void Compare(JsonNode? expected, JsonNode? actual, string path, List<string> differences)
    {
        switch (expected, actual)
        {
            case (JsonObject e, JsonObject a):
                foreach (var key in e.Select(p => p.Key).Union(a.Select(p => p.Key)))
                {
                    if (!e.ContainsKey(key) || !a.ContainsKey(key))
                    {
                        differences.Add($"{path}.{key}: {(e.ContainsKey(key) ? "removed" : "added")}");
                    }
                    else
                    {
                        Compare(e[key], a[key], $"{path}.{key}", differences);
                    }
                }

                break;
            case (JsonArray e, JsonArray a) when e.Count == a.Count:
                for (var i = 0; i < e.Count; i++)
                {
                    Compare(e[i], a[i], $"{path}[{i}]", differences);
                }

                break;
            default:
                if (!JsonNode.DeepEquals(expected, actual))
                {
                    differences.Add($"{path}: {Short(expected)} → {Short(actual)}");
                }

                break;
        }
    }

    private static string Short(JsonNode? node)
    {
        var text = node?.ToJsonString() ?? "null";
        return text.Length > 80 ? text[..80] + "…" : text;
    }
}
