using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AidPlatform.Testing;
using Dapper;

namespace AidPlatform.EndToEnd.Tests;

/// <summary>
/// Generated malformed requests to every POST and PUT operation of the three Swagger documents, on the
/// three services as processes with a database of their own: no answer is a 5xx, every 4xx is a problem
/// detail, and the tables hold exactly what the 2xx answers said was written.
/// </summary>
[NonParallelizable]
public sealed class Hostile_input() : PlatformSpecs(new PlatformOptions { Database = Database, VirtualHost = VirtualHost })
{
    // tests/run sends 1,000 to each operation (some 11,000 in all); AIDP_HOSTILE_REQUESTS=10000 the full 10,000 each.
    private static readonly int RequestsPerOperation = int.Parse(Setting("AIDP_HOSTILE_REQUESTS", "1000"), System.Globalization.CultureInfo.InvariantCulture);
    private static readonly string Database = Setting("AIDP_HOSTILE_DATABASE", "aidplatform_test_hostile");
    private static readonly string VirtualHost = Setting("AIDP_HOSTILE_VHOST", "aidplatform_test_hostile");

    private readonly Written written = new();
    private Guid ngo;
    private Guid project;
    private Guid row;
    private Guid result;

    [OneTimeSetUp]
    public async Task Create_the_objects_the_requests_name()
    {
        ngo = await Create(Platform.Registry, "/api/v1/ngos", new { name = $"Hostile fixture {Guid.NewGuid():N}", countryOfOrigin = "SE" }, written.Ngos);
        await Create(Platform.Registry, $"/api/v1/ngos/{ngo}/registrations", Registration(), written.Registrations);
        project = await Create(Platform.Registry, "/api/v1/projects", Project(ngo), written.Projects);
        row = await Create(Platform.Disbursement, "/api/v1/disbursements", Disbursement(project), written.Ledger);
        result = await Create(Platform.Registry, $"/api/v1/projects/{project}/results", Result(), written.Results);
    }

    [Test]
    public async Task Malformed_requests_to_every_write_get_a_4xx_problem_and_write_nothing_but_what_valid_ones_wrote()
    {
        var operations = new List<(ServiceProcess Service, string Method, string Path)>();
        foreach (var service in Platform.Running)
        {
            var document = await service.Client.GetFromJsonAsync<JsonElement>("/swagger/v1/swagger.json");
            foreach (var path in document.GetProperty("paths").EnumerateObject())
            {
                operations.AddRange(path.Value.EnumerateObject().Select(m => m.Name.ToUpperInvariant()).Where(m => m is "POST" or "PUT").Select(m => (service, m, path.Name)));
            }
        }

        var fivehundreds = new ConcurrentBag<string>();
        var notProblems = new ConcurrentBag<string>();
        var counts = new ConcurrentDictionary<string, int>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(operations.Select(operation => Task.Run(async () =>
        {
            var (service, method, path) = operation;
            var random = new Random(HashCode.Combine(method, path));
            using var client = new HttpClient { BaseAddress = service.BaseAddress, Timeout = TimeSpan.FromMinutes(2) }.As("ministry", subject: "hostile");
            for (var i = 0; i < RequestsPerOperation + 2; i++)
            {
                var target = Fill(path, random);
                var (body, contentType) = i >= RequestsPerOperation ? (HostileRequests.Huge(), "application/json") : Body(method, path, random);
                using var request = new HttpRequestMessage(new HttpMethod(method), target) { Content = new StringContent(body, Encoding.UTF8) };
                request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
                // A body over the limit: the server answers 413 before reading it, if the client asks first.
                request.Headers.ExpectContinue = i >= RequestsPerOperation;
                HttpResponseMessage response;
                try
                {
                    response = await client.SendAsync(request);
                }
                catch (HttpRequestException) when (i >= RequestsPerOperation)
                {
                    // The server refused the body and closed the connection while it was still being sent.
                    counts.AddOrUpdate($"{method} {path} closed on a 20 MB body", 1, (_, n) => n + 1);
                    continue;
                }

                using var answer = response;
                var status = (int)response.StatusCode;
                counts.AddOrUpdate($"{method} {path} {status}", 1, (_, n) => n + 1);
                var text = await response.Content.ReadAsStringAsync();
                if (status >= 500)
                {
                    fivehundreds.Add($"{method} {target} {status}: {text[..Math.Min(300, text.Length)]} <- {body[..Math.Min(300, body.Length)]}");
                }
                else if (status >= 400 && response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                {
                    notProblems.Add($"{method} {target} {status} {response.Content.Headers.ContentType}");
                }
                else if (status < 300)
                {
                    Record(method, path, target, JsonDocument.Parse(text).RootElement);
                }
            }
        })));
        clock.Stop();

        var total = counts.Values.Sum();
        TestContext.Out.WriteLine($"{total:N0} requests to {operations.Count} operations in {clock.Elapsed.TotalSeconds:F0} s");
        foreach (var (key, n) in counts.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            TestContext.Out.WriteLine($"  {key}: {n:N0}");
        }

        Assert.That(operations, Has.Count.GreaterThanOrEqualTo(10), "every POST and PUT of the three documents");
        Assert.That(total, Is.GreaterThanOrEqualTo(operations.Count * RequestsPerOperation));
        Assert.That(fivehundreds, Is.Empty, "no 5xx at all");
        Assert.That(notProblems, Is.Empty, "every 4xx is a problem detail");
        await AssertTablesHoldExactlyWhatWasWritten();
    }

    private (string Body, string ContentType) Body(string method, string path, Random random)
    {
        if (path.EndsWith("/imports", StringComparison.Ordinal))
        {
            return (HostileRequests.Csv($"{project},disbursement,10.50,USD,2024-05-01,01,{Guid.NewGuid():N},hostile", random), "text/csv");
        }

        JsonNode valid = (method, path) switch
        {
            ("POST", "/api/v1/ngos") or ("PUT", "/api/v1/ngos/{id}") => Node(new { name = $"Hostile NGO {Guid.NewGuid():N}", countryOfOrigin = "SE", acronym = "HN", website = "https://example.org", email = "hostile@example.org" }),
            ("POST", "/api/v1/ngos/{id}/registrations") => Node(Registration()),
            ("POST", "/api/v1/projects") or ("PUT", "/api/v1/projects/{id}") => Node(Project(ngo)),
            ("POST", "/api/v1/disbursements") => Node(Disbursement(project)),
            ("POST", "/api/v1/disbursements/batch") => Node(new[] { Disbursement(project), Disbursement(project) }),
            ("POST", "/api/v1/disbursements/{id}/reversal") => Node(new { reason = "hostile input" }),
            ("PUT", "/api/v1/exchange-rates/{currency}/{month}") => Node(new { unitsPerUsd = 0.9123m }),
            ("POST", "/api/v1/projects/{id}/results") or ("PUT", "/api/v1/results/{id}") => Node(Result()),
            // The certificate actions name no certificate of the fixture's (the id is the ledger row's): bodies are read and judged, then 404.
            ("POST", "/api/v1/registrations/{id}/amend") => Node(new { reason = "hostile input", effectiveOn = "2024-06-01", provinceCodes = new[] { "01" }, sectorCategories = new[] { "122" } }),
            ("POST", "/api/v1/registrations/{id}/extend") => Node(new { reason = "hostile input", effectiveOn = "2024-06-01", expiresOn = "2027-05-31" }),
            ("POST", "/api/v1/registrations/{id}/suspend") or ("POST", "/api/v1/registrations/{id}/reinstate") or ("POST", "/api/v1/registrations/{id}/revoke")
                => Node(new { reason = "hostile input", effectiveOn = "2024-06-01" }),
            // An action the fixture's approved project cannot take (conclude is for an appraisal): bodies are read and judged, then 409.
            ("POST", "/api/v1/projects/{id}/approval/{action}") => Node(new { reason = "hostile input", documents = new[] { new { title = "Annex", url = "https://example.org/annex.pdf" } } }),
            _ => throw new AssertionException($"No generator for {method} {path}: every write operation needs one."),
        };
        return HostileRequests.Json(valid, random);
    }

    /// <summary>The fixture's own objects mostly; sometimes an id that is malformed, unknown or absurdly long.</summary>
    private string Fill(string path, Random random)
    {
        string[] odd = ["not-a-guid", Guid.NewGuid().ToString(), "%27%20or%201%3D1", new string('a', 5_000), "00000000-0000-0000-0000-000000000000"];
        var id = random.Next(10) == 0 ? odd[random.Next(odd.Length)]
            : path.StartsWith("/api/v1/ngos", StringComparison.Ordinal) ? ngo.ToString()
            : path.StartsWith("/api/v1/projects", StringComparison.Ordinal) ? project.ToString()
            : path.StartsWith("/api/v1/results", StringComparison.Ordinal) ? result.ToString()
            : row.ToString();
        var (currency, month) = random.Next(10) == 0 ? (new[] { "XXX", "eur", "ＥＵＲ", "E" }[random.Next(4)], new[] { "2024-13", "24-01", "2024-1" }[random.Next(3)]) : ("EUR", "2024-01");
        return path.Replace("{id}", id, StringComparison.Ordinal).Replace("{currency}", currency, StringComparison.Ordinal).Replace("{month}", month, StringComparison.Ordinal)
            .Replace("{action}", random.Next(10) == 0 ? "bless" : "conclude", StringComparison.Ordinal);
    }

    private void Record(string method, string path, string target, JsonElement body)
    {
        switch ((method, path))
        {
            case ("POST", "/api/v1/ngos"): written.Ngos.Add(body.GetProperty("id").GetGuid()); break;
            case ("PUT", "/api/v1/ngos/{id}"): written.NgoUpdates.Add(body.GetProperty("id").GetGuid()); break;
            case ("POST", "/api/v1/ngos/{id}/registrations"): written.Registrations.Add(body.GetProperty("id").GetGuid()); break;
            case ("POST", "/api/v1/projects"): written.Projects.Add(body.GetProperty("id").GetGuid()); break;
            case ("PUT", "/api/v1/projects/{id}"): written.ProjectUpdates.Add(body.GetProperty("id").GetGuid()); break;
            case ("POST", "/api/v1/projects/{id}/results"): written.Results.Add(body.GetProperty("id").GetGuid()); break;
            case ("PUT", "/api/v1/results/{id}"): written.ResultUpdates.Add(body.GetProperty("id").GetGuid()); break;
            case ("POST", "/api/v1/disbursements"):
            case ("POST", "/api/v1/disbursements/{id}/reversal"): written.Ledger.Add(body.GetProperty("id").GetGuid()); break;
            case ("POST", "/api/v1/disbursements/batch"):
                foreach (var id in body.GetProperty("ids").EnumerateArray())
                {
                    written.Ledger.Add(id.GetGuid());
                }

                break;
            case ("POST", "/api/v1/disbursements/imports"): written.Imports.Add(body.GetProperty("id").GetString()!); break;
            case ("PUT", "/api/v1/exchange-rates/{currency}/{month}"):
                // One stream per operation, in order: the last answer is the rate that must stand.
                written.Rates[target] = body.GetProperty("unitsPerUsd").GetDecimal();
                break;
            default: throw new AssertionException($"Unexpected 2xx from {method} {target}");
        }
    }

    private async Task AssertTablesHoldExactlyWhatWasWritten()
    {
        var disbursement = Platform.Disbursement.Client;
        var importedRows = 0L;
        foreach (var import in written.Imports)
        {
            JsonElement state = default;
            await Eventually.True(async () =>
            {
                state = await disbursement.GetFromJsonAsync<JsonElement>($"/api/v1/disbursements/imports/{import}");
                return state.GetProperty("status").GetString() is "succeeded" or "failed";
            }, $"import {import} to finish", TimeSpan.FromMinutes(2));
            importedRows += state.GetProperty("status").GetString() == "succeeded" ? state.GetProperty("rowsTotal").GetInt64() : 0;
        }

        await using var db = Platform.Connect();
        var ngos = (await db.QueryAsync<(Guid Id, int Version)>("select id, version from registry.ngos")).ToDictionary(r => r.Id, r => r.Version);
        // A project's version also counts its approval transitions after registration (the ledger's first disbursement
        // starts an approved project), read in the same statement so both come from one snapshot.
        var projects = (await db.QueryAsync<(Guid Id, int Version, long Transitions)>(
            "select p.id, p.version, (select count(*) - 1 from registry.approval_transitions t where t.project_id = p.id) from registry.projects p"))
            .ToDictionary(r => r.Id, r => r.Version - (int)r.Transitions);
        var registrations = (await db.QueryAsync<Guid>("select id from registry.registrations")).ToHashSet();
        var results = (await db.QueryAsync<(Guid Id, int Version)>("select id, version from registry.results")).ToDictionary(r => r.Id, r => r.Version);
        var ledger = (await db.QueryAsync<Guid>("select id from disbursement.disbursements")).ToHashSet();
        TestContext.Out.WriteLine($"written: {written.Ngos.Count} NGOs ({written.NgoUpdates.Count} updates), {written.Registrations.Count} registrations, " +
            $"{written.Projects.Count} projects ({written.ProjectUpdates.Count} updates), {written.Ledger.Count} ledger rows + {importedRows} imported, {written.Rates.Count} rates");

        Assert.Multiple(() =>
        {
            Assert.That(ngos.Keys, Is.EquivalentTo(written.Ngos));
            Assert.That(ngos[ngo], Is.EqualTo(1 + written.NgoUpdates.Count(id => id == ngo)), "one version per accepted update");
            Assert.That(registrations, Is.EquivalentTo(written.Registrations));
            Assert.That(projects.Keys, Is.EquivalentTo(written.Projects));
            Assert.That(projects[project], Is.EqualTo(1 + written.ProjectUpdates.Count(id => id == project)));
            Assert.That(results.Keys, Is.EquivalentTo(written.Results));
            Assert.That(results[result], Is.EqualTo(1 + written.ResultUpdates.Count(id => id == result)));
            Assert.That(ledger.IsSupersetOf(written.Ledger), Is.True, "every acknowledged ledger row");
            Assert.That(ledger, Has.Count.EqualTo(written.Ledger.Count + importedRows), "and nothing else");
        });
        foreach (var (target, rate) in written.Rates)
        {
            var parts = target.Split('/');
            var stored = await db.QuerySingleAsync<decimal>(
                "select units_per_usd from disbursement.exchange_rates where currency = @currency and month = to_date(@month, 'YYYY-MM')",
                new { currency = parts[^2], month = parts[^1] });
            Assert.That(stored, Is.EqualTo(rate), target);
        }
    }

    private static async Task<Guid> Create(ServiceProcess service, string path, object body, ConcurrentBag<Guid> into)
    {
        using var response = await service.Client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), text);
        var id = JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
        into.Add(id);
        return id;
    }

    private static JsonNode Node(object value) => JsonSerializer.SerializeToNode(value, JsonSerializerOptions.Web)!;

    private static object Registration() => new
    {
        kind = "operation", certificateNumber = $"HOSTILE-{Guid.NewGuid():N}", issuedOn = "2024-01-01", expiresOn = "2026-12-31",
        provinceCodes = new[] { "01", "79" }, sectorCategories = new[] { "122" },
    };

    private static object Project(Guid ngo) => new
    {
        ngoId = ngo, title = "Hostile input project", status = "implementation", startDate = "2024-02-01",
        budget = new { amount = 1000m, currency = "USD" },
        sectors = new[] { new { code = "12220", percentage = 100m } },
        locations = new[] { new { provinceCode = "01", percentage = 100m } },
    };

    private static object Result() => new
    {
        type = "output", title = "Hostile input result",
        indicators = new[]
        {
            new
            {
                title = "Health workers trained", measure = "unit", references = new[] { new { vocabulary = "9", code = "3.c.1" } },
                baseline = new { year = 2023, value = 10m },
                periods = new[] { new { start = "2024-03-01", end = "2024-12-31", target = new { value = 40m }, actual = new { value = 35.5m }, provinceCode = "01" } },
            },
        },
    };

    private static object Disbursement(Guid project) => new { projectId = project, amount = 10.50m, currency = "USD", valueDate = "2024-05-01", reference = $"H-{Guid.NewGuid():N}" };

    private static string Setting(string name, string fallback) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;

    private sealed class Written
    {
        public ConcurrentBag<Guid> Ngos { get; } = [];
        public ConcurrentBag<Guid> NgoUpdates { get; } = [];
        public ConcurrentBag<Guid> Registrations { get; } = [];
        public ConcurrentBag<Guid> Projects { get; } = [];
        public ConcurrentBag<Guid> ProjectUpdates { get; } = [];
        public ConcurrentBag<Guid> Results { get; } = [];
        public ConcurrentBag<Guid> ResultUpdates { get; } = [];
        public ConcurrentBag<Guid> Ledger { get; } = [];
        public ConcurrentBag<string> Imports { get; } = [];
        public ConcurrentDictionary<string, decimal> Rates { get; } = new();
    }
}
