using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace AidPlatform.Contract.Tests;

/// <summary>
/// "Unknown query parameters → 400 naming each": every GET each document lists, called as the ministry with real
/// ids and <c>bogus=1</c>. The data is made with plain HTTP, so this holds whatever the generated clients can say.
/// </summary>
[NonParallelizable]
public sealed class Unknown_query_parameters
{
    private readonly Dictionary<string, string> ids = [];

    [OneTimeSetUp]
    public async Task Make_one_of_each_object()
    {
        using var registry = Services.Client("registry");
        using var ledger = Services.Client("disbursement");
        ids["ngos"] = await Id(registry, "/api/v1/ngos", new { name = $"Fictitious Bogus NGO {Guid.NewGuid():N}", countryOfOrigin = "SE" });
        ids["registrations"] = await Id(registry, $"/api/v1/ngos/{ids["ngos"]}/registrations", new
        {
            kind = "operation", certificateNumber = $"BG-{Guid.NewGuid():N}", issuedOn = "2024-01-01", expiresOn = "2026-12-31",
            provinceCodes = new[] { "01" }, sectorCategories = new[] { "122" },
        });
        ids["projects"] = await Id(registry, "/api/v1/projects", new
        {
            ngoId = ids["ngos"], title = "Fictitious bogus project", status = "implementation", startDate = "2024-02-01",
            budget = new { amount = 1000m, currency = "USD" },
            sectors = new[] { new { code = "12220", percentage = 100m } }, locations = new[] { new { provinceCode = "01", percentage = 100m } },
        });
        ids["disbursements"] = await Id(ledger, "/api/v1/disbursements", new { projectId = ids["projects"], amount = 10m, currency = "USD", valueDate = "2024-05-01", reference = $"BG-{Guid.NewGuid():N}" });
        ids["imports"] = await Id(ledger, "/api/v1/disbursements/imports", new StringContent("projectId,type,amount,currency,valueDate,provinceCode,reference,description\n", Encoding.UTF8, "text/csv"));
    }

    [TestCaseSource(typeof(Services), nameof(Services.Names))]
    public async Task Every_get_answers_400_naming_bogus(string service)
    {
        var document = new OpenApiDocument(Services.Document(service));
        using var client = Services.Client(service);
        var failures = new List<string>();
        var gets = document.Operations().Where(o => o.Method == "GET").ToList();
        foreach (var op in gets)
        {
            var url = Fill(op) + "bogus=1";
            using var response = await client.GetAsync(new Uri(url, UriKind.Relative));
            var body = await response.Content.ReadAsStringAsync();
            var errors = response.Content.Headers.ContentType?.MediaType == "application/problem+json" ? JsonNode.Parse(body)?["errors"] : null;
            if ((int)response.StatusCode != 400 || errors?["bogus"] is null)
            {
                failures.Add($"GET {url}: {(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType} {body[..Math.Min(body.Length, 120)]}");
            }
        }

        Assert.That(gets, Is.Not.Empty);
        Assert.That(failures, Is.Empty, $"{failures.Count} of {gets.Count} GETs of {service} accept an unknown parameter:\n  {string.Join("\n  ", failures)}\n");
    }

    /// <summary>The path with real ids and the required query parameters, ready for one more parameter.</summary>
    private string Fill(Operation op)
    {
        var segments = op.Path.Split('/');
        for (var i = 0; i < segments.Length; i++)
        {
            segments[i] = segments[i] switch
            {
                "{id}" => ids.GetValueOrDefault(segments[i - 1], ids["projects"]),
                "{currency}" => "USD",
                "{month}" => "2024-01",
                "{year}" => "2024",
                _ => segments[i],
            };
        }

        // A breakdown needs its `by`, documented as required or not.
        var query = op.ParametersIn("query").Where(p => p["required"] is JsonValue r && r.GetValue<bool>() || p["name"]!.GetValue<string>() == "by").Select(p =>
        {
            var name = p["name"]!.GetValue<string>();
            var schema = p["schema"];
            var value = name == "by" ? "province"
                : name == "ngoId" ? ids["ngos"]
                : schema?["enum"] is JsonArray values ? values[0]!.ToString()
                : schema?["format"]?.GetValue<string>() == "uuid" ? ids["projects"]
                : schema?["type"]?.GetValue<string>() == "integer" ? "2024"
                : "x";
            return $"{name}={Uri.EscapeDataString(value)}&";
        });
        return string.Join('/', segments) + "?" + string.Concat(query);
    }

    private static async Task<string> Id(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), body as HttpContent ?? JsonContent.Create(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.IsSuccessStatusCode, Is.True, $"{path}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetString()!;
    }
}
