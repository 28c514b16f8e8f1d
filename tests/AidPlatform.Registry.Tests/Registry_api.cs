using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AidPlatform.Contracts.Registry;
using AidPlatform.Testing;

namespace AidPlatform.Registry.Tests;

public sealed class Registry_api : ServiceSpecs<Program>
{
    private EventTap events = null!;

    protected override async Task<ServiceFactory<Program>> StartService()
    {
        // Bound to every registry event before anything is written.
        events = Own(await EventTap.Listen(c => c.Collect<NgoRegistered>().Collect<NgoUpdated>().Collect<RegistrationRecorded>().Collect<ProjectRegistered>().Collect<ProjectUpdated>()));
        return new ServiceFactory<Program>("registry");
    }

    // ---- reference data

    [Test]
    public async Task Reference_data_lists_the_34_current_units_with_the_63_former_ones_and_dac_sectors()
    {
        var provinces = await Client.GetFromJsonAsync<JsonElement>("/api/v1/reference/provinces");
        var former = await Client.GetFromJsonAsync<JsonElement>("/api/v1/reference/provinces/former");
        var sectors = await Client.GetFromJsonAsync<JsonElement>("/api/v1/reference/sectors");

        Assert.That(provinces.GetArrayLength(), Is.EqualTo(34));
        Assert.That(provinces.EnumerateArray().Sum(p => p.GetProperty("formerProvinces").GetArrayLength()), Is.EqualTo(63));
        Assert.That(former.EnumerateArray().Single(f => f.GetProperty("code").GetString() == "10").GetProperty("currentCode").GetString(), Is.EqualTo("15"));
        Assert.That(sectors.EnumerateArray().Count(s => s.GetProperty("kind").GetString() == "category"), Is.GreaterThanOrEqualTo(42));
    }

    // ---- NGOs

    [Test]
    public async Task Registering_an_ngo_answers_201_with_location_etag_and_unregistered_status()
    {
        var response = await Post("/api/v1/ngos", new { name = Unique("Fictitious Mekong Care"), countryOfOrigin = "AU", email = "info@example.org" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var ngo = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(response.Headers.Location!.ToString(), Is.EqualTo($"/api/v1/ngos/{ngo.GetProperty("id").GetGuid()}"));
        Assert.That(response.Headers.ETag!.Tag, Is.EqualTo("\"1\""));
        Assert.That(ngo.GetProperty("status").GetString(), Is.EqualTo("unregistered"));
    }

    [Test]
    public async Task A_duplicate_iati_ref_or_the_same_name_and_country_is_a_409()
    {
        var iati = $"XM-TEST-{Guid.NewGuid():N}";
        var name = Unique("Hà Nội Fictitious Water");
        await Ngo(name, "NO", iati);

        await Problem(await Post("/api/v1/ngos", new { name = Unique("Other"), countryOfOrigin = "NO", iatiOrgRef = iati }), HttpStatusCode.Conflict);
        // Case and diacritics do not make another NGO.
        await Problem(await Post("/api/v1/ngos", new { name = name.ToUpperInvariant().Replace("À", "A", StringComparison.Ordinal), countryOfOrigin = "NO" }), HttpStatusCode.Conflict);
        Assert.That((await Post("/api/v1/ngos", new { name, countryOfOrigin = "SE" })).StatusCode, Is.EqualTo(HttpStatusCode.Created));
    }

    [TestCase("""{ "countryOfOrigin": "NO" }""", "name", HttpStatusCode.UnprocessableEntity)]
    [TestCase("""{ "name": "Fictitious", "countryOfOrigin": "no" }""", "countryOfOrigin", HttpStatusCode.UnprocessableEntity)]
    [TestCase("""{ "name": "Fictitious", "countryOfOrigin": "NO", "email": "not-an-email" }""", "email", HttpStatusCode.UnprocessableEntity)]
    [TestCase("""{ "name": "Fictitious", "countryOfOrigin": "NO", "website": "ftp://x" }""", "website", HttpStatusCode.UnprocessableEntity)]
    [TestCase("""{ "name": 42, "countryOfOrigin": "NO" }""", "name", HttpStatusCode.BadRequest)]
    [TestCase("""{ "name": "Fictitious", "countryOfOrigin": "XX" }""", "countryOfOrigin", HttpStatusCode.UnprocessableEntity)]
    public async Task Bad_ngo_input_is_refused_naming_the_field(string json, string field, HttpStatusCode status)
    {
        var response = await Client.PostAsync("/api/v1/ngos", new StringContent(json, Encoding.UTF8, "application/json"));

        await Problem(response, status, field);
    }

    [Test]
    public async Task Search_ignores_case_and_diacritics_and_filters_by_country_and_status()
    {
        var marker = Guid.NewGuid().ToString("N")[..8];
        var hanoi = await Ngo($"Hà Nội Fictitious Friends {marker}", "JP");
        await Ngo($"Đà Nẵng Fictitious Friends {marker}", "JP");
        await Register(hanoi, ["01"]);

        var found = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/ngos?q=ha%20noi%20fictitious%20friends%20{marker}");
        var japan = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/ngos?q={marker}&country=JP");
        var active = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/ngos?q={marker}&status=active");

        Assert.That(Ids(found), Is.EqualTo(new[] { hanoi }));
        Assert.That(japan.GetProperty("total").GetInt64(), Is.EqualTo(2));
        Assert.That(Ids(active), Is.EqualTo(new[] { hanoi }));
        await Problem(await Client.GetAsync("/api/v1/ngos?status=dormant"), HttpStatusCode.UnprocessableEntity, "status");
        await Problem(await Client.GetAsync("/api/v1/ngos?statuss=active"), HttpStatusCode.BadRequest, "statuss");
        await Problem(await Client.GetAsync("/api/v1/ngos?pageSize=501"), HttpStatusCode.UnprocessableEntity, "pageSize");
    }

    [Test]
    public async Task An_ngo_update_needs_a_current_etag()
    {
        var id = await Ngo(Unique("Fictitious Delta Aid"), "DE");
        var get = await Client.GetAsync($"/api/v1/ngos/{id}");

        var updated = await Put($"/api/v1/ngos/{id}", new { name = Unique("Fictitious Delta Aid renamed"), countryOfOrigin = "DE" }, get.Headers.ETag!.Tag);
        var stale = await Put($"/api/v1/ngos/{id}", new { name = Unique("Fictitious again"), countryOfOrigin = "DE" }, get.Headers.ETag!.Tag);

        Assert.That(updated.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(updated.Headers.ETag!.Tag, Is.EqualTo("\"2\""));
        await Problem(stale, HttpStatusCode.PreconditionFailed);
        await Problem(await Put($"/api/v1/ngos/{Guid.NewGuid()}", new { name = "x", countryOfOrigin = "DE" }, "\"1\""), HttpStatusCode.NotFound);
        await Problem(await Client.GetAsync($"/api/v1/ngos/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
    }

    [Test]
    public async Task The_same_idempotency_key_replays_the_first_ngo()
    {
        var body = new { name = Unique("Fictitious Idempotent Aid"), countryOfOrigin = "FR" };
        var key = Guid.NewGuid().ToString();

        var first = await Post("/api/v1/ngos", body, key);
        var second = await Post("/api/v1/ngos", body, key);
        var other = await Post("/api/v1/ngos", body with { countryOfOrigin = "BE" }, key);

        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(await second.Content.ReadAsStringAsync(), Is.EqualTo(await first.Content.ReadAsStringAsync()));
        await Problem(other, HttpStatusCode.UnprocessableEntity);
    }

    // ---- registrations

    [TestCase("operation", 3, HttpStatusCode.Created)]
    [TestCase("operation", 4, HttpStatusCode.UnprocessableEntity)]
    [TestCase("representative-office", 5, HttpStatusCode.Created)]
    [TestCase("representative-office", 6, HttpStatusCode.UnprocessableEntity)]
    public async Task Decree_58_limits_a_certificates_term(string kind, int years, HttpStatusCode status)
    {
        var ngo = await Ngo(Unique("Fictitious Term"), "GB");
        var issued = new DateOnly(2024, 1, 1);

        var response = await Post($"/api/v1/ngos/{ngo}/registrations", Certificate(kind, issued, issued.AddYears(years), ["01"]));

        Assert.That(response.StatusCode, Is.EqualTo(status), await response.Content.ReadAsStringAsync());
        if (status == HttpStatusCode.Created)
        {
            // The Location of a new certificate answers 200 with that certificate.
            var located = await Client.GetAsync(response.Headers.Location);
            Assert.That(located.StatusCode, Is.EqualTo(HttpStatusCode.OK));
            Assert.That((await located.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid(),
                Is.EqualTo((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid()));
        }
    }

    [Test]
    public async Task Bad_certificates_are_refused()
    {
        var ngo = await Ngo(Unique("Fictitious Certs"), "GB");
        var certificate = Certificate("operation", new DateOnly(2024, 1, 1), new DateOnly(2025, 1, 1), ["01"]);
        await Post($"/api/v1/ngos/{ngo}/registrations", certificate);

        await Problem(await Post($"/api/v1/ngos/{ngo}/registrations", certificate), HttpStatusCode.Conflict);
        await Problem(await Post($"/api/v1/ngos/{Guid.NewGuid()}/registrations", Certificate("operation", new DateOnly(2024, 1, 1), new DateOnly(2025, 1, 1), ["01"])), HttpStatusCode.NotFound);
        await Problem(await Post($"/api/v1/ngos/{ngo}/registrations", Certificate("operation", new DateOnly(2024, 1, 1), new DateOnly(2025, 1, 1), ["99"])), HttpStatusCode.UnprocessableEntity, "provinceCodes");
        await Problem(await Post($"/api/v1/ngos/{ngo}/registrations", Certificate("branch", new DateOnly(2024, 1, 1), new DateOnly(2025, 1, 1), ["01"])), HttpStatusCode.UnprocessableEntity, "kind");
        await Problem(await Post($"/api/v1/ngos/{ngo}/registrations", Certificate("operation", new DateOnly(2024, 1, 1), new DateOnly(2023, 1, 1), ["01"])), HttpStatusCode.UnprocessableEntity, "expiresOn");
    }

    [Test]
    public async Task Registrations_are_listed_per_ngo_and_by_expiry()
    {
        var ngo = await Ngo(Unique("Fictitious Expiry"), "KR");
        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(7));
        var soon = await Register(ngo, ["01"], today.AddYears(-1), today.AddDays(20));
        var later = await Register(ngo, ["79"], today.AddYears(-1), today.AddDays(400));

        var own = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/ngos/{ngo}/registrations");
        var expiring = await Client.GetFromJsonAsync<JsonElement>("/api/v1/registrations?expiringWithinDays=30&pageSize=500");

        Assert.That(Ids(own), Is.EquivalentTo(new[] { soon, later }));
        Assert.That(Ids(expiring), Does.Contain(soon).And.Not.Contain(later));
        await Problem(await Client.GetAsync("/api/v1/registrations?expiringWithinDays=-1"), HttpStatusCode.UnprocessableEntity, "expiringWithinDays");
        await Problem(await Client.GetAsync($"/api/v1/ngos/{Guid.NewGuid()}/registrations"), HttpStatusCode.NotFound);
    }

    // ---- projects

    [Test]
    public async Task A_project_keeps_the_province_code_given_beside_the_current_one()
    {
        var ngo = await Ngo(Unique("Fictitious Highlands"), "US");
        await Register(ngo, ["10", "01"]);

        var response = await Post("/api/v1/projects", Project(ngo, [("10", 50m), ("01", 50m)]));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var project = await response.Content.ReadFromJsonAsync<JsonElement>();
        var laoCai = project.GetProperty("locations").EnumerateArray().Single(l => l.GetProperty("provinceCode").GetString() == "10");
        Assert.That(laoCai.GetProperty("currentProvinceCode").GetString(), Is.EqualTo("15"));
        Assert.That(response.Headers.ETag!.Tag, Is.EqualTo("\"1\""));
    }

    [Test]
    public async Task Projects_that_break_the_rules_are_a_422_naming_what_is_wrong()
    {
        var ngo = await Ngo(Unique("Fictitious Rules"), "US");
        await Register(ngo, ["01"]);

        await Problem(await Post("/api/v1/projects", Project(Guid.NewGuid(), [("01", 100m)])), HttpStatusCode.UnprocessableEntity, "ngoId");
        await Problem(await Post("/api/v1/projects", Project(ngo, [("01", 100m)], startDate: "2019-01-01")), HttpStatusCode.UnprocessableEntity, "startDate");
        var uncovered = await Post("/api/v1/projects", Project(ngo, [("01", 50m), ("79", 50m)]));
        await Problem(uncovered, HttpStatusCode.UnprocessableEntity, "locations");
        Assert.That(await uncovered.Content.ReadAsStringAsync(), Does.Contain("79"));
        await Problem(await Post("/api/v1/projects", Project(ngo, [("01", 90m)])), HttpStatusCode.UnprocessableEntity, "locations");
        await Problem(await Post("/api/v1/projects", Project(ngo, [("01", 100m)], sectors: [("12220", 60m), ("11220", 30m)])), HttpStatusCode.UnprocessableEntity, "sectors");
        await Problem(await Post("/api/v1/projects", Project(ngo, [("01", 100m)], sectors: [("99999", 100m)])), HttpStatusCode.UnprocessableEntity, "sectors[0].code");
        await Problem(await Post("/api/v1/projects", Project(ngo, [("01", 100m)], currency: "XYZ")), HttpStatusCode.UnprocessableEntity, "budget.currency");
        await Problem(await Post("/api/v1/projects", Project(ngo, [("01", 100m)], currency: "VND", amount: 1000.5m)), HttpStatusCode.UnprocessableEntity, "budget.amount");
        await Problem(await Post("/api/v1/projects", Project(ngo, [("01", 100m)], endDate: "2024-01-01")), HttpStatusCode.UnprocessableEntity, "endDate");
    }

    [Test]
    public async Task Invalid_projects_are_a_422_and_a_duplicate_iati_identifier_a_409()
    {
        var ngo = await Ngo(Unique("Fictitious Malformed"), "US");
        await Register(ngo, ["01"]);
        var iati = $"XM-TEST-{Guid.NewGuid():N}";
        await Post("/api/v1/projects", Project(ngo, [("01", 100m)], iati: iati));

        await Problem(await Post("/api/v1/projects", Project(ngo, [("01", 100m)], title: "")), HttpStatusCode.UnprocessableEntity, "title");
        await Problem(await Post("/api/v1/projects", Project(ngo, [("01", 100m)], status: "ongoing")), HttpStatusCode.UnprocessableEntity, "status");
        await Problem(await Post("/api/v1/projects", Project(ngo, [])), HttpStatusCode.UnprocessableEntity, "locations");
        await Problem(await Post("/api/v1/projects", Project(ngo, [("01", 100m)], iati: iati)), HttpStatusCode.Conflict);
    }

    [Test]
    public async Task Projects_are_found_by_former_province_code_sector_category_status_and_title()
    {
        var ngo = await Ngo(Unique("Fictitious Finder"), "CA");
        await Register(ngo, ["15"]);
        var title = Unique("Nước sạch");
        var project = await CreateProject(ngo, [("15", 100m)], title: title);

        var byFormerCode = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/projects?ngoId={ngo}&provinceCode=10");
        var byCategory = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/projects?ngoId={ngo}&sector=122&status=implementation");
        var byTitle = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/projects?q={Uri.EscapeDataString(title.Replace("ư", "u", StringComparison.Ordinal).Replace("ạ", "a", StringComparison.Ordinal))}");
        var none = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/projects?ngoId={ngo}&sector=112");

        Assert.That(Ids(byFormerCode), Is.EqualTo(new[] { project }));
        Assert.That(Ids(byCategory), Is.EqualTo(new[] { project }));
        Assert.That(Ids(byTitle), Is.EqualTo(new[] { project }));
        Assert.That(none.GetProperty("total").GetInt64(), Is.Zero);
        await Problem(await Client.GetAsync("/api/v1/projects?provinceCode=99"), HttpStatusCode.UnprocessableEntity, "provinceCode");
        await Problem(await Client.GetAsync($"/api/v1/projects/{Guid.NewGuid()}"), HttpStatusCode.NotFound);
    }

    [Test]
    public async Task A_project_update_needs_a_current_etag_and_keeps_its_ngo()
    {
        var ngo = await Ngo(Unique("Fictitious Updates"), "CA");
        await Register(ngo, ["01", "79"]);
        var id = await CreateProject(ngo, [("01", 100m)]);

        var updated = await Put($"/api/v1/projects/{id}", Project(ngo, [("01", 40m), ("79", 60m)]), "\"1\"");
        var stale = await Put($"/api/v1/projects/{id}", Project(ngo, [("01", 100m)]), "\"1\"");
        var otherNgo = await Ngo(Unique("Fictitious Other"), "CA");
        var moved = await Put($"/api/v1/projects/{id}", Project(otherNgo, [("01", 100m)]), "\"2\"");
        var unguarded = await Put($"/api/v1/projects/{id}", Project(ngo, [("01", 100m)]), null);
        var weak = await Put($"/api/v1/projects/{id}", Project(ngo, [("01", 100m)]), "W/\"3\"");

        Assert.That(updated.StatusCode, Is.EqualTo(HttpStatusCode.OK), await updated.Content.ReadAsStringAsync());
        Assert.That(updated.Headers.ETag!.Tag, Is.EqualTo("\"2\""));
        await Problem(stale, HttpStatusCode.PreconditionFailed);
        // ngoId is read-only in a PUT: the project stays with its NGO.
        Assert.That(moved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await moved.Content.ReadAsStringAsync());
        Assert.That((await moved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("ngoId").GetGuid(), Is.EqualTo(ngo));
        await Problem(unguarded, HttpStatusCode.PreconditionRequired);
        await Problem(weak, HttpStatusCode.PreconditionFailed);
        await Problem(await Put($"/api/v1/projects/{Guid.NewGuid()}", Project(ngo, [("01", 100m)]), "\"1\""), HttpStatusCode.NotFound);
    }

    [Test]
    public async Task Overlaps_are_other_ngos_projects_sharing_a_province_and_category_in_the_same_period()
    {
        // Ca Mau (96) is used by no other spec, so the projects below are the only candidates there.
        var a = await Ngo(Unique("Fictitious A"), "NL");
        var b = await Ngo(Unique("Fictitious B"), "NL");
        foreach (var ngo in new[] { a, b })
        {
            await Register(ngo, ["96", "79"], new DateOnly(2019, 6, 1), new DateOnly(2024, 5, 31));
        }

        var mine = await CreateProject(a, [("96", 100m)], startDate: "2024-01-01", endDate: "2024-12-31");
        var overlapping = await CreateProject(b, [("96", 50m), ("79", 50m)], startDate: "2024-03-01", endDate: "2025-06-30", sectors: [("122", 100m)]);
        var earlier = await CreateProject(b, [("96", 100m)], startDate: "2020-01-01", endDate: "2021-12-31");
        var otherSector = await CreateProject(b, [("96", 100m)], startDate: "2024-03-01", sectors: [("11220", 100m)]);
        var sameNgo = await CreateProject(a, [("96", 100m)], startDate: "2024-02-01");

        var overlaps = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{mine}/overlaps?pageSize=500");

        var items = overlaps.GetProperty("items").EnumerateArray().ToDictionary(o => o.GetProperty("projectId").GetGuid());
        Assert.That(items.Keys, Does.Contain(overlapping));
        Assert.That(items.Keys, Does.Not.Contain(earlier).And.Not.Contain(otherSector).And.Not.Contain(sameNgo));
        Assert.That(items[overlapping].GetProperty("sharedProvinceCodes").EnumerateArray().Select(p => p.GetString()), Is.EqualTo(new[] { "96" }));
        Assert.That(items[overlapping].GetProperty("sharedSectorCategories").EnumerateArray().Select(p => p.GetString()), Is.EqualTo(new[] { "122" }));
        await Problem(await Client.GetAsync($"/api/v1/projects/{Guid.NewGuid()}/overlaps"), HttpStatusCode.NotFound);
    }

    // ---- events and the OpenAPI document

    [Test]
    public async Task Every_successful_write_emits_its_event_exactly_once()
    {
        var ngo = await Ngo(Unique("Fictitious Events"), "IE");
        var registration = await Register(ngo, ["01"]);
        var project = await CreateProject(ngo, [("01", 100m)]);
        await Put($"/api/v1/projects/{project}", Project(ngo, [("01", 100m)], title: "Renamed"), "\"1\"");
        var response = await Put($"/api/v1/ngos/{ngo}", new { name = Unique("Fictitious Events renamed"), countryOfOrigin = "IE" }, "\"1\"");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        // A write that fails emits nothing.
        await Post("/api/v1/projects", Project(ngo, [("79", 100m)]));

        // The NGO update came last: once it is here, every earlier event has had its turn.
        await Eventually.True(() => events.All.OfType<NgoUpdated>().Any(e => e.NgoId == ngo), "the NGO update event");
        Assert.Multiple(() =>
        {
            Assert.That(events.All.OfType<NgoRegistered>().Count(e => e.NgoId == ngo), Is.EqualTo(1));
            Assert.That(events.All.OfType<RegistrationRecorded>().Count(e => e.RegistrationId == registration), Is.EqualTo(1));
            Assert.That(events.All.OfType<ProjectRegistered>().Count(e => e.NgoId == ngo), Is.EqualTo(1));
            Assert.That(events.All.OfType<ProjectUpdated>().Count(e => e.ProjectId == project), Is.EqualTo(1));
            Assert.That(events.All.OfType<NgoUpdated>().Count(e => e.NgoId == ngo), Is.EqualTo(1));
        });
        var updatedProject = events.All.OfType<ProjectUpdated>().Single(e => e.ProjectId == project);
        Assert.That((updatedProject.Title, updatedProject.Version, updatedProject.Locations[0].CurrentProvinceCode), Is.EqualTo(("Renamed", 2, "01")));
    }

    [Test]
    public async Task The_openapi_document_lists_every_operation_with_responses_and_problems()
    {
        var document = await Client.GetFromJsonAsync<JsonElement>("/swagger/v1/swagger.json");
        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => o.Value))
            .ToDictionary(o => o.GetProperty("operationId").GetString()!);

        string[] expected = ["RegisterNgo", "ListNgos", "GetNgo", "UpdateNgo", "RecordRegistration", "ListNgoRegistrations", "ListRegistrations",
            "RegisterProject", "ListProjects", "GetProject", "UpdateProject", "ListProjectOverlaps", "ListProvinces", "ListFormerProvinces", "ListSectors",
            "RecordResult", "ListProjectResults", "GetResult", "UpdateResult"];
        Assert.That(operations.Keys, Is.SupersetOf(expected));
        foreach (var id in expected)
        {
            var responses = operations[id].GetProperty("responses").EnumerateObject().ToList();
            Assert.That(responses.Any(r => r.Name.StartsWith('2') && r.Value.TryGetProperty("content", out _)), Is.True, $"{id} documents its 2xx body");
            if (!id.StartsWith("List", StringComparison.Ordinal) || id is "ListNgos" or "ListProjects" or "ListProjectResults")
            {
                Assert.That(responses.Any(r => r.Name.StartsWith('4') && r.Value.GetProperty("content").TryGetProperty("application/problem+json", out _)), Is.True, $"{id} documents its problems");
            }
        }

        Assert.That(operations["RegisterProject"].GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _), Is.True);
    }

    // ---- helpers

    private static string Unique(string name) => $"{name} {Guid.NewGuid().ToString("N")[..10]}";

    private static object Certificate(string kind, DateOnly issued, DateOnly expires, string[] provinces) => new
    {
        kind,
        certificateNumber = $"CERT-{Guid.NewGuid():N}",
        issuedOn = issued.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        expiresOn = expires.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        provinceCodes = provinces,
        sectorCategories = new[] { "122", "112" },
    };

    private static object Project(Guid ngo, (string Code, decimal Pct)[] locations, string? title = null, string status = "implementation",
        string startDate = "2024-06-01", string? endDate = null, (string Code, decimal Pct)[]? sectors = null, string currency = "USD",
        decimal amount = 250_000m, string? iati = null) => new
    {
        ngoId = ngo,
        title = title ?? "Fictitious clean water for schools",
        iatiIdentifier = iati,
        status,
        startDate,
        endDate,
        budget = new { amount, currency },
        sectors = (sectors ?? [("12220", 70m), ("122", 30m)]).Select(s => new { code = s.Code, percentage = s.Pct }).ToArray(),
        locations = locations.Select(l => new { provinceCode = l.Code, percentage = l.Pct }).ToArray(),
    };

    private async Task<Guid> Ngo(string name, string country, string? iati = null) =>
        await IdOf(await Post("/api/v1/ngos", new { name, countryOfOrigin = country, iatiOrgRef = iati }));

    private async Task<Guid> Register(Guid ngo, string[] provinces, DateOnly? issued = null, DateOnly? expires = null) =>
        await IdOf(await Post($"/api/v1/ngos/{ngo}/registrations",
            Certificate("representative-office", issued ?? new DateOnly(2023, 1, 1), expires ?? new DateOnly(2027, 12, 31), provinces)));

    private async Task<Guid> CreateProject(Guid ngo, (string Code, decimal Pct)[] locations, string? title = null, string startDate = "2024-06-01",
        string? endDate = null, (string Code, decimal Pct)[]? sectors = null) =>
        await IdOf(await Post("/api/v1/projects", Project(ngo, locations, title, startDate: startDate, endDate: endDate, sectors: sectors)));

    private static async Task<Guid> IdOf(HttpResponseMessage response)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static List<Guid> Ids(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()).ToList();

    private async Task<HttpResponseMessage> Post(string path, object body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await Client.SendAsync(request);
    }

    private async Task<HttpResponseMessage> Put(string path, object body, string? ifMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(body) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await Client.SendAsync(request);
    }

    private static async Task Problem(HttpResponseMessage response, HttpStatusCode status, string? field = null)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        if (field is not null)
        {
            Assert.That(JsonDocument.Parse(text).RootElement.GetProperty("errors").TryGetProperty(field, out _), Is.True, text);
        }
    }
}
