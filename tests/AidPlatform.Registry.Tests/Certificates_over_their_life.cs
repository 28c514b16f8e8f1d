using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AidPlatform.Contracts.Registry;
using AidPlatform.Registry.Api.Data;
using AidPlatform.ServiceDefaults;
using AidPlatform.Testing;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AidPlatform.Registry.Tests;

/// <summary>Registration certificates amended, extended, suspended, reinstated and revoked, and their expiry announced, as a client and a consumer of events see them.</summary>
public sealed class Certificates_over_their_life : ServiceSpecs<Program>
{
    // The scan runs every second here, so the background service itself is seen at work.
    private static readonly Dictionary<string, string> Settings = new() { ["Registrations:ExpiryScanInterval"] = "00:00:01" };

    private static readonly DateOnly Today = VietnamTime.Today;

    private EventTap events = null!;

    protected override async Task<ServiceFactory<Program>> StartService()
    {
        events = Own(await EventTap.Listen(c => c.Collect<RegistrationRecorded>().Collect<RegistrationChanged>().Collect<RegistrationExpiring>()));
        return new ServiceFactory<Program>("registry", Settings);
    }

    // ---- the actions

    [Test]
    public async Task Suspension_reinstatement_and_revocation_change_the_status_the_interruptions_and_the_ngo()
    {
        var ngo = await Ngo();
        var id = await Register(ngo);

        var suspended = await Ok(await Act(id, "suspend", new { reason = "Inspection pending", effectiveOn = Day(-10) }));
        var ngoSuspended = await NgoStatus(ngo);
        var reinstated = await Ok(await Act(id, "reinstate", new { reason = "Inspection passed", effectiveOn = Day(-5) }));
        var ngoReinstated = await NgoStatus(ngo);
        var revoked = await Ok(await Act(id, "revoke", new { reason = "Operating outside its provinces", effectiveOn = Day(0) }));

        await Assert.MultipleAsync(async () =>
        {
            Assert.That((suspended.GetProperty("status").GetString(), suspended.GetProperty("version").GetInt32()), Is.EqualTo(("suspended", 2)));
            Assert.That(Interruptions(suspended), Is.EqualTo(new[] { ("suspension", Day(-10), (string?)null) }));
            Assert.That(ngoSuspended, Is.EqualTo("expired"), "an NGO whose only certificate is suspended is not active");
            Assert.That((reinstated.GetProperty("status").GetString(), reinstated.GetProperty("version").GetInt32()), Is.EqualTo(("valid", 3)));
            Assert.That(Interruptions(reinstated), Is.EqualTo(new[] { ("suspension", Day(-10), (string?)Day(-5)) }));
            Assert.That(ngoReinstated, Is.EqualTo("active"));
            Assert.That((revoked.GetProperty("status").GetString(), revoked.GetProperty("version").GetInt32()), Is.EqualTo(("revoked", 4)));
            Assert.That(Interruptions(revoked), Is.EqualTo(new[] { ("suspension", Day(-10), (string?)Day(-5)), ("revocation", Day(0), null) }));
            Assert.That(await NgoStatus(ngo), Is.EqualTo("expired"));
            Assert.That((await Client.GetFromJsonAsync<JsonElement>($"/api/v1/registrations/{id}")).GetProperty("status").GetString(), Is.EqualTo("revoked"));
        });

        await Eventually.True(() => events.Of<RegistrationChanged>().Count(e => e.RegistrationId == id) == 3, "the three change events");
        var changes = events.Of<RegistrationChanged>().Where(e => e.RegistrationId == id).OrderBy(e => e.Version).ToList();
        Assert.That(changes.Select(e => (e.Action, e.Version, e.Status, e.NgoStatus)),
            Is.EqualTo(new[] { ("suspend", 2, "suspended", "expired"), ("reinstate", 3, "valid", "active"), ("revoke", 4, "revoked", "expired") }));
        Assert.That(changes[2].Interruptions.Select(i => (i.Kind, i.From, i.Until)),
            Is.EqualTo(new[] { ("suspension", Today.AddDays(-10), (DateOnly?)Today.AddDays(-5)), ("revocation", Today, null) }));
        Assert.That((changes[0].Reason, changes[0].EffectiveOn), Is.EqualTo(("Inspection pending", Today.AddDays(-10))));
    }

    [Test]
    public async Task Another_valid_certificate_keeps_the_ngo_active()
    {
        var ngo = await Ngo();
        var first = await Register(ngo);
        await Register(ngo);

        await Ok(await Act(first, "revoke", new { reason = "Revoked", effectiveOn = Day(-1) }));

        Assert.That(await NgoStatus(ngo), Is.EqualTo("active"));
    }

    [Test]
    public async Task The_history_lists_every_action_oldest_first_with_terms_before_and_after()
    {
        var ngo = await Ngo();
        var id = await Register(ngo, provinces: ["01"]);
        await Ok(await Act(id, "amend", new { reason = "New province", effectiveOn = Day(-3), provinceCodes = new[] { "01", "10" } }));
        await Ok(await Act(id, "suspend", new { reason = "Audit", effectiveOn = Day(-2) }));
        await Ok(await Act(id, "extend", new { reason = "Renewed", effectiveOn = Day(-1), expiresOn = Day(1000) }));

        var history = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/registrations/{id}/history");
        var items = history.GetProperty("items").EnumerateArray().ToList();
        var secondPage = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/registrations/{id}/history?page=2&pageSize=3");

        Assert.Multiple(() =>
        {
            Assert.That(items.Select(i => (i.GetProperty("version").GetInt32(), i.GetProperty("action").GetString(), i.GetProperty("toStatus").GetString())),
                Is.EqualTo(new[] { (1, "record", "valid"), (2, "amend", "valid"), (3, "suspend", "suspended"), (4, "extend", "suspended") }));
            Assert.That(history.GetProperty("total").GetInt64(), Is.EqualTo(4));
            Assert.That(items[0].GetProperty("before").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(Strings(items[1].GetProperty("before").GetProperty("currentProvinceCodes")), Is.EqualTo(new[] { "01" }));
            Assert.That(Strings(items[1].GetProperty("after").GetProperty("currentProvinceCodes")), Is.EqualTo(new[] { "01", "15" }));
            Assert.That(items[2].GetProperty("fromStatus").GetString(), Is.EqualTo("valid"));
            Assert.That((items[2].GetProperty("reason").GetString(), items[2].GetProperty("effectiveOn").GetString()), Is.EqualTo(("Audit", Day(-2))));
            Assert.That(items[3].GetProperty("after").GetProperty("expiresOn").GetString(), Is.EqualTo(Day(1000)));
            Assert.That(items[3].GetProperty("actor").GetProperty("role").GetString(), Is.EqualTo("ministry"));
            Assert.That(items[3].GetProperty("actor").GetProperty("subject").GetString(), Does.StartWith("test-ministry"));
            Assert.That(secondPage.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("action").GetString()), Is.EqualTo(new[] { "extend" }));
        });
    }

    [Test]
    public async Task Amend_replaces_provinces_or_categories_checked_as_when_recording()
    {
        var ngo = await Ngo();
        var id = await Register(ngo, provinces: ["01"]);

        var amended = await Ok(await Act(id, "amend", new { reason = "Sectors widened", effectiveOn = Day(0), sectorCategories = new[] { "140", "122", "140" } }));
        await Problem(await Act(id, "amend", new { reason = "x", effectiveOn = Day(0), provinceCodes = new[] { "99" } }), HttpStatusCode.UnprocessableEntity, "provinceCodes");
        await Problem(await Act(id, "amend", new { reason = "x", effectiveOn = Day(0), sectorCategories = new[] { "999" } }), HttpStatusCode.UnprocessableEntity, "sectorCategories");
        await Problem(await Act(id, "amend", new { reason = "x", effectiveOn = Day(0), provinceCodes = Array.Empty<string>() }), HttpStatusCode.UnprocessableEntity, "provinceCodes");
        await Problem(await Act(id, "amend", new { reason = "x", effectiveOn = Day(0) }), HttpStatusCode.UnprocessableEntity, "provinceCodes");

        Assert.That(Strings(amended.GetProperty("sectorCategories")), Is.EqualTo(new[] { "122", "140" }));
        Assert.That(Strings(amended.GetProperty("provinceCodes")), Is.EqualTo(new[] { "01" }));
        Assert.That((await Client.GetFromJsonAsync<JsonElement>($"/api/v1/registrations/{id}")).GetProperty("version").GetInt32(), Is.EqualTo(2), "a refused action writes nothing");
    }

    [Test]
    public async Task Extend_reaches_at_most_the_kinds_term_from_the_day_it_takes_effect()
    {
        var ngo = await Ngo();
        var id = await Register(ngo, kind: "operation", issued: Today.AddYears(-2), expires: Today.AddDays(100));

        await Problem(await Act(id, "extend", new { reason = "x", effectiveOn = Day(0), expiresOn = Day(50) }), HttpStatusCode.UnprocessableEntity, "expiresOn");
        await Problem(await Act(id, "extend", new { reason = "x", effectiveOn = Day(0), expiresOn = Today.AddYears(3).AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }),
            HttpStatusCode.UnprocessableEntity, "expiresOn");
        await Problem(await Act(id, "extend", new { reason = "x", effectiveOn = Day(0) }), HttpStatusCode.UnprocessableEntity, "expiresOn");
        var extended = await Ok(await Act(id, "extend", new { reason = "Renewed for three years", effectiveOn = Day(0), expiresOn = Today.AddYears(3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }));

        Assert.That(extended.GetProperty("expiresOn").GetString(), Is.EqualTo(Today.AddYears(3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        Assert.That(extended.GetProperty("issuedOn").GetString(), Is.EqualTo(Today.AddYears(-2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
    }

    // ---- what is refused

    [TestCase("reinstate", "reinstate is allowed from suspended; the certificate is valid.")]
    public async Task An_action_its_status_does_not_allow_is_a_409_naming_the_rule(string action, string detail)
    {
        var id = await Register(await Ngo());

        var text = await Problem(await Act(id, action, new { reason = "x", effectiveOn = Day(0) }), HttpStatusCode.Conflict);

        Assert.That(JsonDocument.Parse(text).RootElement.GetProperty("detail").GetString(), Is.EqualTo(detail));
    }

    [Test]
    public async Task Suspending_twice_is_a_409_and_a_revoked_certificate_is_final()
    {
        var id = await Register(await Ngo());
        await Ok(await Act(id, "suspend", new { reason = "x", effectiveOn = Day(-1) }));

        var twice = await Problem(await Act(id, "suspend", new { reason = "x", effectiveOn = Day(0) }), HttpStatusCode.Conflict);
        await Ok(await Act(id, "revoke", new { reason = "x", effectiveOn = Day(0) }));
        var after = new List<string>();
        foreach (var (action, body) in new (string, object)[]
        {
            ("amend", new { reason = "x", effectiveOn = Day(0), provinceCodes = new[] { "79" } }),
            ("extend", new { reason = "x", effectiveOn = Day(0), expiresOn = Day(900) }),
            ("suspend", new { reason = "x", effectiveOn = Day(0) }),
            ("reinstate", new { reason = "x", effectiveOn = Day(0) }),
            ("revoke", new { reason = "x", effectiveOn = Day(0) }),
        })
        {
            after.Add(JsonDocument.Parse(await Problem(await Act(id, action, body), HttpStatusCode.Conflict)).RootElement.GetProperty("detail").GetString()!);
        }

        Assert.That(JsonDocument.Parse(twice).RootElement.GetProperty("detail").GetString(), Is.EqualTo("suspend is allowed from valid; the certificate is suspended."));
        Assert.That(after, Has.All.EndsWith("the certificate is revoked."));
        Assert.That(after[0], Is.EqualTo("amend is allowed from valid or suspended; the certificate is revoked."));
    }

    [Test]
    public async Task Bad_reasons_and_dates_are_422_naming_the_field_and_unreadable_ones_400()
    {
        var id = await Register(await Ngo(), issued: Today.AddYears(-1), expires: Today.AddYears(1));

        await Problem(await Act(id, "suspend", new { effectiveOn = Day(0) }), HttpStatusCode.UnprocessableEntity, "reason");
        await Problem(await Act(id, "suspend", new { reason = "   ", effectiveOn = Day(0) }), HttpStatusCode.UnprocessableEntity, "reason");
        await Problem(await Act(id, "suspend", new { reason = new string('r', 2001), effectiveOn = Day(0) }), HttpStatusCode.UnprocessableEntity, "reason");
        await Problem(await Act(id, "suspend", new { reason = "x" }), HttpStatusCode.UnprocessableEntity, "effectiveOn");
        await Problem(await Act(id, "suspend", new { reason = "x", effectiveOn = Day(1) }), HttpStatusCode.UnprocessableEntity, "effectiveOn");
        await Problem(await Act(id, "suspend", new { reason = "x", effectiveOn = Today.AddYears(-1).AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) }),
            HttpStatusCode.UnprocessableEntity, "effectiveOn");
        await Problem(await Act(id, "suspend", new { reason = "x", effectiveOn = "next tuesday" }), HttpStatusCode.BadRequest, "effectiveOn");
        await Ok(await Act(id, "suspend", new { reason = "x", effectiveOn = Day(-5) }));
        // A reinstatement never takes effect before the suspension it ends began.
        await Problem(await Act(id, "reinstate", new { reason = "x", effectiveOn = Day(-6) }), HttpStatusCode.UnprocessableEntity, "effectiveOn");

        var expired = await Register(await Ngo(), issued: Today.AddYears(-2), expires: Today.AddDays(-10));
        await Problem(await Act(expired, "suspend", new { reason = "x", effectiveOn = Day(-9) }), HttpStatusCode.UnprocessableEntity, "effectiveOn");
        Assert.That((await Client.GetFromJsonAsync<JsonElement>($"/api/v1/registrations/{id}")).GetProperty("version").GetInt32(), Is.EqualTo(2));
    }

    [Test]
    public async Task An_unknown_action_or_certificate_is_a_404()
    {
        var id = await Register(await Ngo());

        var text = await Problem(await Act(id, "cancel", new { reason = "x", effectiveOn = Day(0) }), HttpStatusCode.NotFound);
        await Problem(await Act(Guid.NewGuid(), "suspend", new { reason = "x", effectiveOn = Day(0) }), HttpStatusCode.NotFound);
        await Problem(await Client.GetAsync($"/api/v1/registrations/{Guid.NewGuid()}/history"), HttpStatusCode.NotFound);

        Assert.That(text, Does.Contain("amend, extend, suspend, reinstate, revoke"));
    }

    [Test]
    public async Task Only_the_ministry_acts_and_partners_read_only_their_own_history_without_actors()
    {
        var ngo = await Ngo();
        var id = await Register(ngo);
        using var auditor = Factory.CreateClient().As("auditor");
        using var partner = Factory.CreateClient().As("partner", ngo);
        using var stranger = Factory.CreateClient().As("partner", Guid.NewGuid());
        var body = new { reason = "x", effectiveOn = Day(0) };

        await Problem(await auditor.PostAsJsonAsync($"/api/v1/registrations/{id}/suspend", body), HttpStatusCode.Forbidden);
        await Problem(await partner.PostAsJsonAsync($"/api/v1/registrations/{id}/suspend", body), HttpStatusCode.Forbidden);
        await Problem(await stranger.PostAsJsonAsync($"/api/v1/registrations/{id}/suspend", body), HttpStatusCode.NotFound);
        await Problem(await stranger.GetAsync($"/api/v1/registrations/{id}/history"), HttpStatusCode.NotFound);
        var own = await partner.GetFromJsonAsync<JsonElement>($"/api/v1/registrations/{id}/history");
        var audited = await auditor.GetFromJsonAsync<JsonElement>($"/api/v1/registrations/{id}/history");

        Assert.That(own.GetProperty("items")[0].GetProperty("actor").ValueKind, Is.EqualTo(JsonValueKind.Null));
        Assert.That(audited.GetProperty("items")[0].GetProperty("actor").GetProperty("role").GetString(), Is.EqualTo("ministry"));
        Assert.That((await Client.GetFromJsonAsync<JsonElement>($"/api/v1/registrations/{id}")).GetProperty("status").GetString(), Is.EqualTo("valid"));
    }

    [Test]
    public async Task Two_suspensions_at_once_serialise_one_200_and_one_409()
    {
        for (var round = 0; round < 5; round++)
        {
            var id = await Register(await Ngo());
            using var other = Factory.CreateClient().As("ministry", subject: "second-officer");

            var answers = await Task.WhenAll(
                Client.PostAsJsonAsync($"/api/v1/registrations/{id}/suspend", new { reason = "first", effectiveOn = Day(0) }),
                other.PostAsJsonAsync($"/api/v1/registrations/{id}/suspend", new { reason = "second", effectiveOn = Day(0) }));

            Assert.That(answers.Select(a => a.StatusCode), Is.EquivalentTo(new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
            var history = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/registrations/{id}/history");
            Assert.That(history.GetProperty("items").EnumerateArray().Count(i => i.GetProperty("action").GetString() == "suspend"), Is.EqualTo(1));
        }
    }

    // ---- expiry notices

    [Test]
    public async Task A_certificate_25_days_from_expiry_gets_one_30_day_notice_through_scans_and_a_restart()
    {
        var ngo = await Ngo();
        var id = await Register(ngo, issued: Today.AddYears(-1), expires: Today.AddDays(25));
        var store = Factory.Services.GetRequiredService<ExpiryNoticeStore>();

        // The scanner of this host runs every second; two more scans by hand change nothing.
        await Eventually.True(async () => (await Notices(id)).Count > 0, "the background scan to note the certificate");
        await store.PublishDue(Today, CancellationToken.None);
        await store.PublishDue(Today, CancellationToken.None);
        await using (var restarted = new ServiceFactory<Program>("registry", Settings))
        {
            using var client = restarted.CreateClient().As("ministry");
            Assert.That((await client.GetAsync("/health/ready")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
            await restarted.Services.GetRequiredService<ExpiryNoticeStore>().PublishDue(Today, CancellationToken.None);
        }

        await Fence();
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(await Notices(id), Is.EqualTo(new[] { (Today.AddDays(25), 30, true), (Today.AddDays(25), 90, false) }), "the 30-day mark published, the 90-day passed over");
            Assert.That(events.Of<RegistrationExpiring>().Where(e => e.RegistrationId == id).Select(e => (e.DaysBefore, e.ExpiresOn, e.NgoId)),
                Is.EqualTo(new[] { (30, Today.AddDays(25), ngo) }), "one event");
        });

        // 18 days on, 7 are left: the 7-day notice, once.
        Assert.That(await store.PublishDue(Today.AddDays(18), CancellationToken.None), Is.GreaterThanOrEqualTo(1));
        await store.PublishDue(Today.AddDays(18), CancellationToken.None);
        await Eventually.True(() => events.Of<RegistrationExpiring>().Any(e => e.RegistrationId == id && e.DaysBefore == 7), "the 7-day notice");
        Assert.That((await Notices(id)).Count(n => n.DaysBefore == 7 && n.Published), Is.EqualTo(1));
    }

    [Test]
    public async Task An_extended_certificate_is_announced_again_for_its_new_expiry_and_a_revoked_one_never()
    {
        var ngo = await Ngo();
        var id = await Register(ngo, issued: Today.AddYears(-1), expires: Today.AddDays(5));
        var revoked = await Register(await Ngo(), issued: Today.AddYears(-1), expires: Today.AddDays(5));
        await Ok(await Act(revoked, "revoke", new { reason = "Revoked", effectiveOn = Day(0) }));
        var store = Factory.Services.GetRequiredService<ExpiryNoticeStore>();
        await store.PublishDue(Today, CancellationToken.None);

        await Ok(await Act(id, "extend", new { reason = "Renewed", effectiveOn = Day(0), expiresOn = Day(60) }));
        await store.PublishDue(Today, CancellationToken.None);
        await store.PublishDue(Today, CancellationToken.None);

        await Eventually.True(() => events.Of<RegistrationExpiring>().Any(e => e.RegistrationId == id && e.ExpiresOn == Today.AddDays(60)), "the notice for the new expiry");
        await Fence();
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(events.Of<RegistrationExpiring>().Where(e => e.RegistrationId == id).Select(e => (e.ExpiresOn, e.DaysBefore)),
                Is.EquivalentTo(new[] { (Today.AddDays(5), 7), (Today.AddDays(60), 90) }));
            Assert.That(await Notices(revoked), Is.Empty);
            Assert.That(events.Of<RegistrationExpiring>().Any(e => e.RegistrationId == revoked), Is.False);
        });
    }

    [Test]
    public async Task A_certificate_already_replaced_by_a_later_one_of_its_kind_is_not_announced()
    {
        var ngo = await Ngo();
        // The successor first: the background scan never sees the old one alone.
        await Register(ngo, issued: Today.AddDays(-1), expires: Today.AddYears(2));
        var old = await Register(ngo, issued: Today.AddYears(-1), expires: Today.AddDays(20));

        await Factory.Services.GetRequiredService<ExpiryNoticeStore>().PublishDue(Today, CancellationToken.None);

        Assert.That(await Notices(old), Is.Empty);
    }

    // ---- helpers

    private static string Day(int offset) => Today.AddDays(offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task<Guid> Ngo() =>
        await IdOf(await Client.PostAsJsonAsync("/api/v1/ngos", new { name = $"Fictitious Certificates {Guid.NewGuid():N}", countryOfOrigin = "FI" }));

    private async Task<Guid> Register(Guid ngo, string kind = "representative-office", DateOnly? issued = null, DateOnly? expires = null, string[]? provinces = null) =>
        await IdOf(await Client.PostAsJsonAsync($"/api/v1/ngos/{ngo}/registrations", new
        {
            kind,
            certificateNumber = $"CERT-{Guid.NewGuid():N}",
            issuedOn = (issued ?? Today.AddYears(-1)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            expiresOn = (expires ?? Today.AddYears(2)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            provinceCodes = provinces ?? ["01", "79"],
            sectorCategories = new[] { "122" },
        }));

    private Task<HttpResponseMessage> Act(Guid id, string action, object body) => Client.PostAsJsonAsync($"/api/v1/registrations/{id}/{action}", body);

    private async Task<string> NgoStatus(Guid ngo) => (await Client.GetFromJsonAsync<JsonElement>($"/api/v1/ngos/{ngo}")).GetProperty("status").GetString()!;

    /// <summary>A change on a certificate of its own, whose event comes after everything enqueued before it.</summary>
    private async Task Fence()
    {
        var fence = await Register(await Ngo());
        await Ok(await Act(fence, "suspend", new { reason = "fence", effectiveOn = Day(0) }));
        await Eventually.True(() => events.Of<RegistrationChanged>().Any(e => e.RegistrationId == fence), "the fence event");
    }

    private static async Task<List<(DateOnly ExpiresOn, int DaysBefore, bool Published)>> Notices(Guid id)
    {
        await using var connection = new NpgsqlConnection(TestEnvironment.ServiceConnectionString("registry"));
        return (await connection.QueryAsync<(DateOnly, int, bool)>(
            "select expires_on, days_before, published_at is not null from registration_expiry_notices where registration_id = @id order by expires_on, days_before",
            new { id })).ToList();
    }

    private static List<(string Kind, string From, string? Until)> Interruptions(JsonElement registration) =>
        registration.GetProperty("interruptions").EnumerateArray().Select(i => (i.GetProperty("kind").GetString()!, i.GetProperty("from").GetString()!,
            i.GetProperty("until").ValueKind == JsonValueKind.Null ? null : i.GetProperty("until").GetString())).ToList();

    private static List<string> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToList();

    private static async Task<Guid> IdOf(HttpResponseMessage response)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task<JsonElement> Ok(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        return JsonDocument.Parse(text).RootElement;
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
