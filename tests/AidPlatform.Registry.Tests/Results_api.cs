using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AidPlatform.Contracts.Registry;
using AidPlatform.Testing;

namespace AidPlatform.Registry.Tests;

/// <summary>Policy markers on projects, and projects' results with their indicators, as a client and a consumer of events see them.</summary>
public sealed class Results_api : ServiceSpecs<Program>
{
    private EventTap events = null!;

    protected override async Task<ServiceFactory<Program>> StartService()
    {
        events = Own(await EventTap.Listen(c => c.Collect<ProjectRegistered>().Collect<ProjectUpdated>().Collect<ResultRecorded>().Collect<ResultUpdated>()));
        return new ServiceFactory<Program>("registry");
    }

    // ---- policy markers

    [Test]
    public async Task Policy_markers_round_trip_in_the_answers_and_the_events()
    {
        var (ngo, _) = await NgoWithProject();
        var response = await Post(Client, "/api/v1/projects", Project(ngo, markers: [new { code = "9", significance = 4 }, new { code = "1", significance = 2 }]));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetGuid();
        var updated = await Put($"/api/v1/projects/{id}", Project(ngo, markers: [new { code = "8", significance = 3 }]), "\"1\"");

        Assert.That(Markers(created), Is.EqualTo(new[] { ("1", 2), ("9", 4) }));
        Assert.That(updated.StatusCode, Is.EqualTo(HttpStatusCode.OK), await updated.Content.ReadAsStringAsync());
        Assert.That(Markers(await Client.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{id}")), Is.EqualTo(new[] { ("8", 3) }));
        await Eventually.True(() => events.Of<ProjectUpdated>().Any(e => e.ProjectId == id), "the project update event");
        Assert.That(events.Of<ProjectRegistered>().Single(e => e.ProjectId == id).PolicyMarkers.Select(m => (m.Code, m.Significance)), Is.EqualTo(new[] { ("1", 2), ("9", 4) }));
        Assert.That(events.Of<ProjectUpdated>().Single(e => e.ProjectId == id).PolicyMarkers.Select(m => (m.Code, m.Significance)), Is.EqualTo(new[] { ("8", 3) }));
    }

    [Test]
    public async Task A_project_without_markers_answers_an_empty_list()
    {
        var (_, project) = await NgoWithProject();
        Assert.That(Markers(await Client.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{project}")), Is.Empty);
    }

    [TestCase("13", 1, "policyMarkers[0].code")]
    [TestCase("1", 5, "policyMarkers[0].significance")]
    [TestCase("1", 3, "policyMarkers[0].significance")]
    [TestCase("8", 4, "policyMarkers[0].significance")]
    public async Task A_marker_outside_the_codelists_is_a_422_naming_the_allowed_values(string code, int significance, string field)
    {
        var (ngo, _) = await NgoWithProject();
        var response = await Post(Client, "/api/v1/projects", Project(ngo, markers: [new { code, significance }]));
        var text = await Problem(response, HttpStatusCode.UnprocessableEntity, field);
        Assert.That(text, Does.Contain(field.EndsWith("code", StringComparison.Ordinal) ? "one of 1, 2, 3" : "significance").IgnoreCase);
    }

    [Test]
    public async Task A_marker_code_twice_is_a_422()
    {
        var (ngo, _) = await NgoWithProject();
        await Problem(await Post(Client, "/api/v1/projects", Project(ngo, markers: [new { code = "2", significance = 1 }, new { code = "2", significance = 2 }])),
            HttpStatusCode.UnprocessableEntity, "policyMarkers");
    }

    // ---- results

    [Test]
    public async Task A_recorded_result_answers_201_with_a_location_that_answers_200_and_is_listed()
    {
        var (_, project) = await NgoWithProject();
        var response = await Post(Client, $"/api/v1/projects/{project}/results", Result());

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = created.GetProperty("id").GetGuid();
        Assert.That(response.Headers.Location!.ToString(), Is.EqualTo($"/api/v1/results/{id}"));
        Assert.That(response.Headers.ETag!.Tag, Is.EqualTo("\"1\""));
        var located = await Client.GetAsync(response.Headers.Location);
        Assert.That(located.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(located.Headers.ETag!.Tag, Is.EqualTo("\"1\""));
        var result = await located.Content.ReadFromJsonAsync<JsonElement>();
        var indicator = result.GetProperty("indicators")[0];
        Assert.Multiple(() =>
        {
            Assert.That(result.GetProperty("projectId").GetGuid(), Is.EqualTo(project));
            Assert.That(indicator.GetProperty("ascending").GetBoolean(), Is.True, "ascending defaults to true");
            Assert.That(indicator.GetProperty("baseline").GetProperty("value").GetDecimal(), Is.EqualTo(62.5m));
            Assert.That(indicator.GetProperty("periods")[0].GetProperty("target").GetProperty("value").GetDecimal(), Is.EqualTo(80.25m));
            Assert.That(indicator.GetProperty("references")[0].GetProperty("code").GetString(), Is.EqualTo("3.1.2"));
        });
        var list = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{project}/results");
        Assert.That(list.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()), Is.EqualTo(new[] { id }));
        Assert.That(list.GetProperty("total").GetInt64(), Is.EqualTo(1));
    }

    public static IEnumerable<TestCaseData> Faults()
    {
        static TestCaseData Case(string field, object indicator) => new TestCaseData(field, indicator).SetName($"A result refused at {field}");
        yield return Case("indicators[0].measure", Indicator(measure: "count"));
        yield return Case("indicators[0].references[0].vocabulary", Indicator(vocabulary: "42"));
        yield return Case("indicators[0].references[0].code", Indicator(code: "3.z.1"));
        yield return Case("indicators[0].baseline.value", Indicator(measure: "qualitative"));
        yield return Case("indicators[0].periods[0].target.value", Indicator(target: null));
        yield return Case("indicators[0].periods[0].end", Indicator(start: "2024-09-01", end: "2024-08-01"));
        yield return Case("indicators[0].periods[0].start", Indicator(start: "2024-01-01"));
        yield return Case("indicators[0].periods[0].end", Indicator(end: "2027-01-01"));
        yield return Case("indicators[0].periods[0].provinceCode", Indicator(province: "79"));
    }

    [TestCaseSource(nameof(Faults))]
    public async Task Each_rule_is_a_422_naming_the_field(string field, object indicator)
    {
        var (_, project) = await NgoWithProject();
        await Problem(await Post(Client, $"/api/v1/projects/{project}/results", new { type = "output", title = "Fictitious result", indicators = new[] { indicator } }),
            HttpStatusCode.UnprocessableEntity, field);
        await Problem(await Post(Client, $"/api/v1/projects/{project}/results", new { type = "activity", title = "Fictitious result", indicators = new[] { Indicator() } }),
            HttpStatusCode.UnprocessableEntity, "type");
        Assert.That((await Client.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{project}/results")).GetProperty("total").GetInt64(), Is.Zero, "nothing was written");
    }

    [Test]
    public async Task A_result_update_needs_a_current_strong_etag_and_emits_the_full_state()
    {
        var (_, project) = await NgoWithProject();
        var id = await IdOf(await Post(Client, $"/api/v1/projects/{project}/results", Result()));
        var changed = Result(title: "Renamed", actual: 79.5m);

        var unguarded = await Put($"/api/v1/results/{id}", changed, null);
        var weak = await Put($"/api/v1/results/{id}", changed, "W/\"1\"");
        var updated = await Put($"/api/v1/results/{id}", changed, "\"1\"");
        var stale = await Put($"/api/v1/results/{id}", changed, "\"1\"");

        await Problem(unguarded, HttpStatusCode.PreconditionRequired);
        await Problem(weak, HttpStatusCode.PreconditionFailed);
        Assert.That(updated.StatusCode, Is.EqualTo(HttpStatusCode.OK), await updated.Content.ReadAsStringAsync());
        Assert.That(updated.Headers.ETag!.Tag, Is.EqualTo("\"2\""));
        await Problem(stale, HttpStatusCode.PreconditionFailed);
        await Problem(await Put($"/api/v1/results/{Guid.NewGuid()}", changed, "\"1\""), HttpStatusCode.NotFound);

        await Eventually.True(() => events.Of<ResultUpdated>().Any(e => e.ResultId == id), "the result update event");
        var recorded = events.Of<ResultRecorded>().Single(e => e.ResultId == id);
        var update = events.Of<ResultUpdated>().Single(e => e.ResultId == id);
        Assert.Multiple(() =>
        {
            Assert.That((recorded.Version, recorded.ProjectId, recorded.Type, recorded.Title), Is.EqualTo((1, project, "outcome", "Fictitious skilled birth attendance")));
            Assert.That(recorded.Indicators.Single().Periods.Single().Target.Value, Is.EqualTo(80.25m));
            Assert.That(recorded.Indicators.Single().Periods.Single().Actual!.Value, Is.EqualTo(71m));
            Assert.That(recorded.Indicators.Single().References.Single(), Is.EqualTo(new IndicatorReference { Vocabulary = "9", Code = "3.1.2" }));
            Assert.That(recorded.Indicators.Single().Baseline, Is.EqualTo(new IndicatorBaseline { Year = 2023, Value = 62.5m }));
            Assert.That((update.Version, update.Title), Is.EqualTo((2, "Renamed")));
            Assert.That(update.Indicators.Single().Periods.Single().Actual!.Value, Is.EqualTo(79.5m));
            Assert.That(update.Indicators.Single().Periods.Single().ProvinceCode, Is.EqualTo("01"));
        });
    }

    [Test]
    public async Task A_result_read_back_can_be_put_as_it_is_its_read_only_fields_ignored()
    {
        var (_, project) = await NgoWithProject();
        var id = await IdOf(await Post(Client, $"/api/v1/projects/{project}/results", Result()));
        var read = await Client.GetAsync($"/api/v1/results/{id}");
        var original = await read.Content.ReadFromJsonAsync<JsonElement>();
        var body = original.GetRawText().Replace(project.ToString(), Guid.NewGuid().ToString(), StringComparison.Ordinal);

        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/results/{id}") { Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json") };
        request.Headers.TryAddWithoutValidation("If-Match", read.Headers.ETag!.Tag);
        var response = await Client.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var updated = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That((updated.GetProperty("projectId").GetGuid(), updated.GetProperty("version").GetInt32()), Is.EqualTo((project, 2)));
        Assert.That(updated.GetProperty("indicators").GetRawText(), Is.EqualTo(original.GetProperty("indicators").GetRawText()));
    }

    [Test]
    public async Task A_partner_writes_results_for_its_own_projects_and_another_ngos_answer_404()
    {
        var (mine, myProject) = await NgoWithProject();
        var (_, theirProject) = await NgoWithProject();
        var theirResult = await IdOf(await Post(Client, $"/api/v1/projects/{theirProject}/results", Result()));
        using var partner = Factory.CreateClient().As("partner", mine);
        using var auditor = Factory.CreateClient().As("auditor");

        var own = await Post(partner, $"/api/v1/projects/{myProject}/results", Result());
        Assert.That(own.StatusCode, Is.EqualTo(HttpStatusCode.Created), await own.Content.ReadAsStringAsync());
        var ownId = (await own.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        Assert.That((await Put($"/api/v1/results/{ownId}", Result(title: "Mine, renamed"), "\"1\"", partner)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        // Another NGO's project or result answers exactly as a missing one.
        await Problem(await Post(partner, $"/api/v1/projects/{theirProject}/results", Result()), HttpStatusCode.NotFound);
        await Problem(await Post(partner, $"/api/v1/projects/{Guid.NewGuid()}/results", Result()), HttpStatusCode.NotFound);
        await Problem(await partner.GetAsync($"/api/v1/projects/{theirProject}/results"), HttpStatusCode.NotFound);
        await Problem(await partner.GetAsync($"/api/v1/results/{theirResult}"), HttpStatusCode.NotFound);
        await Problem(await Put($"/api/v1/results/{theirResult}", Result(), "\"1\"", partner), HttpStatusCode.NotFound);
        // Even with a body that would be refused: a 422 would tell a foreign id from a missing one.
        await Problem(await Post(partner, $"/api/v1/projects/{theirProject}/results", new { type = "bogus" }), HttpStatusCode.NotFound);
        await Problem(await Put($"/api/v1/results/{theirResult}", new { type = "bogus" }, "\"1\"", partner), HttpStatusCode.NotFound);
        Assert.That((await partner.GetAsync($"/api/v1/results/{ownId}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        // An auditor reads everything and writes nothing.
        await Problem(await Post(auditor, $"/api/v1/projects/{theirProject}/results", Result()), HttpStatusCode.Forbidden);
        await Problem(await Put($"/api/v1/results/{theirResult}", Result(), "\"1\"", auditor), HttpStatusCode.Forbidden);
        Assert.That((await auditor.GetAsync($"/api/v1/results/{theirResult}")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await Client.GetFromJsonAsync<JsonElement>($"/api/v1/results/{theirResult}")).GetProperty("version").GetInt32(), Is.EqualTo(1), "nothing changed it");
    }

    [Test]
    public async Task The_same_idempotency_key_replays_the_first_result()
    {
        var (_, project) = await NgoWithProject();
        var key = Guid.NewGuid().ToString();
        var first = await Post(Client, $"/api/v1/projects/{project}/results", Result(), key);
        var second = await Post(Client, $"/api/v1/projects/{project}/results", Result(), key);

        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(second.Headers.Location, Is.EqualTo(first.Headers.Location));
        Assert.That((await Client.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{project}/results")).GetProperty("total").GetInt64(), Is.EqualTo(1));
    }

    // ---- helpers

    private static object Indicator(string measure = "percentage", string vocabulary = "9", string code = "3.1.2", decimal? target = 80.25m,
        string start = "2024-07-01", string end = "2024-12-31", string? province = "01", decimal? actual = 71m) => new
    {
        title = "Births attended by skilled health personnel",
        measure,
        references = new[] { new { vocabulary, code } },
        baseline = new { year = 2023, value = 62.5m },
        periods = new[] { new { start, end, target = new { value = target, comment = (string?)null }, actual = new { value = actual, comment = "Two clinics opened late" }, provinceCode = province } },
    };

    [Test]
    public async Task A_project_change_that_would_leave_a_results_period_outside_it_is_a_422_and_changes_nothing()
    {
        var (ngo, project) = await NgoWithProject();
        var result = await IdOf(await Post(Client, $"/api/v1/projects/{project}/results", Result()));
        object Changed(string startDate, string province) => new
        {
            ngoId = ngo, title = "Fictitious maternal health", status = "implementation", startDate, endDate = "2026-05-31",
            budget = new { amount = 100_000m, currency = "USD" },
            sectors = new[] { new { code = "12220", percentage = 100m } },
            locations = new[] { new { provinceCode = province, percentage = 100m } },
        };

        // The result's period runs 2024-07-01 to 2024-12-31 in province 01.
        var later = await Put($"/api/v1/projects/{project}", Changed("2024-08-01", "01"), "\"1\"");
        var elsewhere = await Put($"/api/v1/projects/{project}", Changed("2024-06-01", "79"), "\"1\"");
        var text = await Problem(later, HttpStatusCode.UnprocessableEntity, $"results[{result}].indicators[0].periods[0].start");
        await Problem(elsewhere, HttpStatusCode.UnprocessableEntity, $"results[{result}].indicators[0].periods[0].provinceCode");
        Assert.That(text, Does.Contain("2024-07-01").And.Contain("2024-08-01"));
        var unchanged = await Client.GetAsync($"/api/v1/projects/{project}");
        Assert.That(unchanged.Headers.ETag!.Tag, Is.EqualTo("\"1\""), "nothing was written");

        var fitting = await Put($"/api/v1/projects/{project}", Changed("2024-07-01", "01"), "\"1\"");
        Assert.That(fitting.StatusCode, Is.EqualTo(HttpStatusCode.OK), await fitting.Content.ReadAsStringAsync());
    }

    private static object Result(string title = "Fictitious skilled birth attendance", decimal actual = 71m) =>
        new { type = "outcome", title, indicators = new[] { Indicator(actual: actual) } };

    private static object Project(Guid ngo, object[]? markers = null) => new
    {
        ngoId = ngo,
        title = "Fictitious maternal health",
        status = "implementation",
        startDate = "2024-06-01",
        endDate = "2026-05-31",
        budget = new { amount = 100_000m, currency = "USD" },
        sectors = new[] { new { code = "12220", percentage = 100m } },
        locations = new[] { new { provinceCode = "01", percentage = 100m } },
        policyMarkers = markers,
    };

    private async Task<(Guid Ngo, Guid Project)> NgoWithProject()
    {
        var ngo = await IdOf(await Post(Client, "/api/v1/ngos", new { name = $"Fictitious Results {Guid.NewGuid():N}", countryOfOrigin = "FI" }));
        await IdOf(await Post(Client, $"/api/v1/ngos/{ngo}/registrations", new
        {
            kind = "representative-office", certificateNumber = $"CERT-{Guid.NewGuid():N}", issuedOn = "2023-01-01", expiresOn = "2027-12-31",
            provinceCodes = new[] { "01", "79" }, sectorCategories = new[] { "122" },
        }));
        return (ngo, await IdOf(await Post(Client, "/api/v1/projects", Project(ngo))));
    }

    private static List<(string, int)> Markers(JsonElement project) =>
        project.GetProperty("policyMarkers").EnumerateArray().Select(m => (m.GetProperty("code").GetString()!, m.GetProperty("significance").GetInt32())).ToList();

    private static async Task<Guid> IdOf(HttpResponseMessage response)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task<HttpResponseMessage> Post(HttpClient client, string path, object body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await client.SendAsync(request);
    }

    private async Task<HttpResponseMessage> Put(string path, object body, string? ifMatch, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await (client ?? Client).SendAsync(request);
    }

    private static async Task<string> Problem(HttpResponseMessage response, HttpStatusCode status, string? field = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        if (field is not null)
        {
            Assert.That(JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty(field, out _), Is.True, text);
        }

        return text;
    }
}
