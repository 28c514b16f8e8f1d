using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using AidPlatform.Testing;

namespace AidPlatform.EndToEnd.Tests;

/// <summary>
/// Policy markers and results written in the registry reach reporting through the real events: the marker
/// breakdown counts each project in full under each marker it carries, and the indicator report follows an
/// update of a result.
/// </summary>
public sealed class Markers_and_results_reach_the_reports : PlatformSpecs
{
    [Test]
    public async Task A_projects_markers_and_results_written_in_the_registry_show_in_the_reports()
    {
        var registry = Platform.Registry.Client;
        var ngo = await Created(registry, "/api/v1/ngos", new { name = $"Markers {Guid.NewGuid():N}", countryOfOrigin = "SE" });
        await Created(registry, $"/api/v1/ngos/{ngo}/registrations", new
        {
            kind = "operation", certificateNumber = $"MK-{Guid.NewGuid():N}", issuedOn = "2024-01-01", expiresOn = "2026-12-31",
            provinceCodes = new[] { "01", "79" }, sectorCategories = new[] { "122", "410" },
        });
        // Gender principal and adaptation significant; gender significant only.
        var health = await Created(registry, "/api/v1/projects", Project(ngo, "Mothers' health", "12220", "01",
            new[] { new { code = "1", significance = 2 }, new { code = "7", significance = 1 } }));
        var water = await Created(registry, "/api/v1/projects", Project(ngo, "Clean water", "41010", "79",
            new[] { new { code = "1", significance = 1 } }));

        await Disburse(health, 1_000.10m, "MK-H");
        await Disburse(water, 250.05m, "MK-W");

        var result = await Created(registry, $"/api/v1/projects/{health}/results", Result(actual: 30m));

        await Eventually.True(async () => Rows(await Breakdown(ngo, "any")).GetValueOrDefault("1") == 1_250.15m,
            "the marker breakdown to count both projects under gender equality", TimeSpan.FromMinutes(1));
        var any = await Breakdown(ngo, "any");
        var principal = await Breakdown(ngo, "principal");
        var significant = await Breakdown(ngo, "significant");
        Assert.Multiple(() =>
        {
            Assert.That(Rows(any), Is.EquivalentTo(new Dictionary<string, decimal> { ["1"] = 1_250.15m, ["7"] = 1_000.10m }));
            Assert.That(Rows(principal), Is.EquivalentTo(new Dictionary<string, decimal> { ["1"] = 1_000.10m }));
            Assert.That(Rows(significant), Is.EquivalentTo(new Dictionary<string, decimal> { ["1"] = 250.05m, ["7"] = 1_000.10m }));
            Assert.That(any.GetProperty("additive").GetBoolean(), Is.False, "a project counts under each of its markers");
        });

        await Eventually.True(async () => await Achievement(ngo) == 0.5m, "the result's indicator in the report: (30 - 10) / (50 - 10)", TimeSpan.FromMinutes(1));

        using var get = await registry.GetAsync($"/api/v1/results/{result}");
        var etag = get.Headers.ETag ?? throw new AssertionException("GET /results/{id} carries an ETag");
        using var put = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/results/{result}") { Content = JsonContent.Create(Result(actual: 40m)) };
        put.Headers.IfMatch.Add(new EntityTagHeaderValue(etag.Tag));
        using var updated = await registry.SendAsync(put);
        Assert.That(updated.StatusCode, Is.EqualTo(HttpStatusCode.OK), await updated.Content.ReadAsStringAsync());

        await Eventually.True(async () => await Achievement(ngo) == 0.75m, "the updated actual in the report: (40 - 10) / (50 - 10)", TimeSpan.FromMinutes(1));
    }

    private static object Project(Guid ngo, string title, string sector, string province, object markers) => new
    {
        ngoId = ngo, title, status = "implementation", startDate = "2024-01-01", endDate = "2026-12-31",
        budget = new { amount = 100_000m, currency = "USD" },
        sectors = new[] { new { code = sector, percentage = 100m } },
        locations = new[] { new { provinceCode = province, percentage = 100m } },
        policyMarkers = markers,
    };

    private static object Result(decimal actual) => new
    {
        type = "outcome", title = "Births attended by skilled staff",
        indicators = new[]
        {
            new
            {
                title = "Births attended by skilled health personnel", measure = "unit", ascending = true,
                references = new[] { new { vocabulary = "9", code = "3.1.2" } },
                baseline = new { year = 2023, value = 10m },
                periods = new[] { new { start = "2024-01-01", end = "2024-12-31", target = new { value = 50m }, actual = new { value = actual } } },
            },
        },
    };

    private async Task Disburse(Guid project, decimal amount, string reference)
    {
        using var response = await Platform.Disbursement.Client.PostAsJsonAsync("/api/v1/disbursements", new
        {
            projectId = project, type = "disbursement", amount, currency = "USD", valueDate = "2024-06-01", reference = $"{reference}-{Guid.NewGuid():N}",
        });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
    }

    private async Task<JsonElement> Breakdown(Guid ngo, string significance) =>
        await Platform.Reporting.Client.GetFromJsonAsync<JsonElement>($"/api/v1/reports/breakdown?by=policyMarker&significance={significance}&ngoId={ngo}");

    private static Dictionary<string, decimal> Rows(JsonElement breakdown) =>
        breakdown.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("key").GetString()!, r => r.GetProperty("disbursedUsd").GetDecimal());

    private async Task<decimal?> Achievement(Guid ngo)
    {
        var report = await Platform.Reporting.Client.GetFromJsonAsync<JsonElement>($"/api/v1/reports/indicators?reference=3.1.2&ngoId={ngo}&year=2024");
        var row = report.GetProperty("rows").EnumerateArray().FirstOrDefault(r => r.GetProperty("measure").GetString() == "unit");
        return row.ValueKind == JsonValueKind.Object && row.GetProperty("achievement").ValueKind == JsonValueKind.Number ? row.GetProperty("achievement").GetDecimal() : null;
    }

    private static async Task<Guid> Created(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
