using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AidPlatform.Testing;

namespace AidPlatform.EndToEnd.Tests;

/// <summary>
/// The auth section of API.md, checked against every operation the three Swagger documents list, on the
/// three services running as processes with small rate limits.
/// </summary>
[NonParallelizable]
public sealed class Security_of_every_operation() : PlatformSpecs(new PlatformOptions { Settings = new Dictionary<string, string> { ["Auth__Burst"] = "60", ["Auth__PermitsPerSecond"] = "20" } })
{
    private readonly List<(ServiceProcess Service, string Method, string Path)> operations = [];
    private readonly Dictionary<string, string> otherNgosObjects = [];
    private Guid ownNgo;
    private Guid ownProject;
    private Guid otherProject;

    [OneTimeSetUp]
    public async Task Create_two_ngos_and_list_every_operation()
    {
        var registry = Platform.Registry.Client;
        var disbursement = Platform.Disbursement.Client;
        ownNgo = await Id(registry, "/api/v1/ngos", new { name = $"Fictitious Own {Guid.NewGuid():N}", countryOfOrigin = "SE" });
        var otherNgo = await Id(registry, "/api/v1/ngos", new { name = $"Fictitious Other {Guid.NewGuid():N}", countryOfOrigin = "SE" });
        foreach (var ngo in new[] { ownNgo, otherNgo })
        {
            await Id(registry, $"/api/v1/ngos/{ngo}/registrations", new
            {
                kind = "operation", certificateNumber = $"SEC-{Guid.NewGuid():N}", issuedOn = "2024-01-01", expiresOn = "2026-12-31",
                provinceCodes = new[] { "01" }, sectorCategories = new[] { "122" },
            });
        }

        ownProject = await Id(registry, "/api/v1/projects", Project(ownNgo));
        otherProject = await Id(registry, "/api/v1/projects", Project(otherNgo));
        var otherRow = await Id(disbursement, "/api/v1/disbursements", new { projectId = otherProject, amount = 10m, currency = "USD", valueDate = "2024-05-01", reference = $"SEC-{Guid.NewGuid():N}" });
        var import = await disbursement.PostAsync("/api/v1/disbursements/imports", new StringContent("projectId,type,amount,currency,valueDate,provinceCode,reference,description\n", Encoding.UTF8, "text/csv"));
        var importId = (await import.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        otherNgosObjects["ngos"] = otherNgo.ToString();
        otherNgosObjects["projects"] = otherProject.ToString();
        otherNgosObjects["disbursements"] = otherRow.ToString();
        otherNgosObjects["imports"] = importId;

        foreach (var service in Platform.Running)
        {
            var document = await new HttpClient { BaseAddress = service.BaseAddress }.GetFromJsonAsync<JsonElement>("/swagger/v1/swagger.json");
            Assert.That(document.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("Bearer", out _), Is.True, $"{service.Name} documents the bearer scheme");
            foreach (var path in document.GetProperty("paths").EnumerateObject())
            {
                operations.AddRange(path.Value.EnumerateObject().Select(method => (service, method.Name.ToUpperInvariant(), path.Name)));
            }
        }

        Assert.That(operations, Has.Count.GreaterThanOrEqualTo(30));
    }

    [Test]
    public async Task Anonymous_callers_get_401_everywhere_but_reference_and_open_data()
    {
        var failures = new List<string>();
        foreach (var (service, method, path) in operations)
        {
            using var response = await Send(service, method, Fill(path), token: null);
            var open = path.StartsWith("/api/v1/reference", StringComparison.Ordinal) || path.StartsWith("/api/v1/public", StringComparison.Ordinal);
            if (open ? response.StatusCode == HttpStatusCode.Unauthorized : response.StatusCode != HttpStatusCode.Unauthorized || !IsProblem(response))
            {
                failures.Add($"{method} {path}: {(int)response.StatusCode}");
            }
        }

        Assert.That(failures, Is.Empty);
    }

    [Test]
    public async Task Auditors_read_everything_and_write_nothing()
    {
        var failures = new List<string>();
        var token = TestEnvironment.Token("auditor", subject: "auditor-1");
        foreach (var (service, method, path) in operations.Where(o => o.Method is "POST" or "PUT" or "DELETE" or "PATCH"))
        {
            using var response = await Send(service, method, Fill(path), token);
            if (response.StatusCode != HttpStatusCode.Forbidden || !IsProblem(response))
            {
                failures.Add($"{method} {path}: {(int)response.StatusCode}");
            }
        }

        using var read = await Send(Platform.Registry, "GET", $"/api/v1/ngos/{otherNgosObjects["ngos"]}", token);
        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(failures, Is.Empty);
    }

    [Test]
    public async Task A_partner_gets_404_for_every_object_of_another_ngo()
    {
        var failures = new List<string>();
        var token = TestEnvironment.Token("partner", ownNgo, "partner-own");
        foreach (var (service, method, path) in operations.Where(o => o.Path.Contains('{', StringComparison.Ordinal) && !o.Path.Contains("{currency}", StringComparison.Ordinal)))
        {
            using var response = await Send(service, method, Fill(path), token);
            // Reads and writes alike, even the registry's writes no partner may make: a 403 would confirm the object exists.
            if (response.StatusCode != HttpStatusCode.NotFound || !IsProblem(response))
            {
                failures.Add($"{method} {path}: {(int)response.StatusCode}");
            }
        }

        Assert.That(failures, Is.Empty);
    }

    [Test]
    public async Task A_partner_sees_only_its_own_ngo_and_records_only_for_its_own_projects()
    {
        var token = TestEnvironment.Token("partner", ownNgo, "partner-own-2");

        using var ngos = await Send(Platform.Registry, "GET", "/api/v1/ngos?pageSize=500", token);
        var listed = (await ngos.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("items").EnumerateArray().Select(n => n.GetProperty("id").GetGuid()).ToList();
        using var own = await Send(Platform.Disbursement, "POST", "/api/v1/disbursements", token,
            new { projectId = ownProject, amount = 5m, currency = "USD", valueDate = "2024-06-01", reference = $"P-{Guid.NewGuid():N}", ngoId = Guid.NewGuid() });
        using var other = await Send(Platform.Disbursement, "POST", "/api/v1/disbursements", token,
            new { projectId = otherProject, amount = 5m, currency = "USD", valueDate = "2024-06-01", reference = $"P-{Guid.NewGuid():N}" });

        using var ownNgoUpdate = await Send(Platform.Registry, "PUT", $"/api/v1/ngos/{ownNgo}", token, new { name = "Renamed by its partner", countryOfOrigin = "SE" });
        using var ownProjectUpdate = await Send(Platform.Registry, "PUT", $"/api/v1/projects/{ownProject}", token, Project(ownNgo));
        using var newProject = await Send(Platform.Registry, "POST", "/api/v1/projects", token, Project(ownNgo));

        Assert.That(listed, Is.EqualTo(new[] { ownNgo }));
        Assert.That(ownNgoUpdate.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden), "an NGO is the ministry's to write");
        Assert.That(ownProjectUpdate.StatusCode, Is.EqualTo(HttpStatusCode.Conflict), await ownProjectUpdate.Content.ReadAsStringAsync());
        Assert.That(newProject.StatusCode, Is.EqualTo(HttpStatusCode.Created), await newProject.Content.ReadAsStringAsync());
        Assert.That((await newProject.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("approval").GetProperty("state").GetString(), Is.EqualTo("draft"),
            "a partner's project is a dossier to submit");
        Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.Created), await own.Content.ReadAsStringAsync());
        Assert.That((await own.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ngoId").GetGuid(), Is.EqualTo(ownNgo), "ngoId is the project's, never the body's");
        Assert.That(other.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity), "another NGO's project reads as unknown");
    }

    [Test]
    public async Task A_partner_flooding_a_service_gets_429_while_another_caller_carries_on()
    {
        var flooder = TestEnvironment.Token("partner", ownNgo, "partner-flood");
        var ministry = TestEnvironment.Token("ministry", subject: "ministry-calm");
        var registry = Platform.Registry;

        var flood = await Task.WhenAll(Enumerable.Range(0, 150).Select(async _ =>
        {
            using var response = await Send(registry, "GET", $"/api/v1/ngos/{ownNgo}", flooder);
            return (response.StatusCode, RetryAfter: response.Headers.RetryAfter?.Delta);
        }));
        var calm = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            using var response = await Send(registry, "GET", $"/api/v1/ngos/{ownNgo}", ministry);
            calm.Add(response.StatusCode);
        }

        Assert.That(flood.Count(r => r.StatusCode == HttpStatusCode.TooManyRequests), Is.GreaterThan(0));
        Assert.That(flood.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).All(r => r.RetryAfter >= TimeSpan.FromSeconds(1)), Is.True, "429 carries Retry-After");
        Assert.That(flood.Count(r => r.StatusCode == HttpStatusCode.OK), Is.GreaterThan(0));
        Assert.That(calm, Is.All.EqualTo(HttpStatusCode.OK));
    }

    private string Fill(string path)
    {
        var resource = path.Contains("/imports/", StringComparison.Ordinal) ? "imports"
            : path.Contains("/disbursements/", StringComparison.Ordinal) ? "disbursements"
            : path.Contains("/projects/", StringComparison.Ordinal) ? "projects"
            : "ngos";
        return path.Replace("{id}", otherNgosObjects[resource], StringComparison.Ordinal)
            .Replace("{currency}", "EUR", StringComparison.Ordinal).Replace("{month}", "2024-01", StringComparison.Ordinal)
            .Replace("{action}", "submit", StringComparison.Ordinal)
            + (path.EndsWith("/breakdown", StringComparison.Ordinal) ? "?by=province" : "");
    }

    private static async Task<HttpResponseMessage> Send(ServiceProcess service, string method, string path, string? token, object? body = null)
    {
        using var client = new HttpClient { BaseAddress = service.BaseAddress };
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (method == "PUT")
        {
            // As a client that read the object would: the object checks come after the precondition's presence.
            request.Headers.TryAddWithoutValidation("If-Match", "\"1\"");
        }

        if (method is "POST" or "PUT")
        {
            // Bodies good enough to reach the object checks: a reversal needs its reason, an import is CSV.
            request.Content = body is not null ? JsonContent.Create(body)
                : path.EndsWith("/imports", StringComparison.Ordinal) ? new StringContent("projectId,type,amount,currency,valueDate,provinceCode,reference,description\n", Encoding.UTF8, "text/csv")
                : path.EndsWith("/reversal", StringComparison.Ordinal) ? JsonContent.Create(new { reason = "security check" })
                : new StringContent("{}", Encoding.UTF8, "application/json");
        }

        return await client.SendAsync(request);
    }

    private static bool IsProblem(HttpResponseMessage response) => response.Content.Headers.ContentType?.MediaType == "application/problem+json";

    private static object Project(Guid ngo) => new
    {
        ngoId = ngo, title = "Fictitious security project", status = "implementation", startDate = "2024-02-01",
        budget = new { amount = 1000m, currency = "USD" },
        sectors = new[] { new { code = "12220", percentage = 100m } },
        locations = new[] { new { provinceCode = "01", percentage = 100m } },
    };

    private static async Task<Guid> Id(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), $"{path}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
