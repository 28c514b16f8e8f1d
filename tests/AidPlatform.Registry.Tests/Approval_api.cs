using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AidPlatform.Contracts.Registry;
using AidPlatform.Testing;
using MassTransit;
using Npgsql;

namespace AidPlatform.Registry.Tests;

/// <summary>The approval of aid projects through the API: the dossier's path, who may act, maker-checker, concurrency, history and the overdue list.</summary>
public sealed class Approval_api : ServiceSpecs<Program>
{
    private EventTap events = null!;

    protected override async Task<ServiceFactory<Program>> StartService()
    {
        events = Own(await EventTap.Listen(c => c.Collect<ProjectRegistered>().Collect<ProjectUpdated>()));
        return new ServiceFactory<Program>("registry");
    }

    [Test]
    public async Task A_partner_dossier_goes_from_draft_to_approved_with_a_checker_other_than_the_concluder()
    {
        var ngo = await Ngo();
        using var partner = Partner(ngo);
        var project = await Register(partner, ngo, "draft");

        Assert.That((await Act(partner, project, "submit")).GetProperty("state").GetString(), Is.EqualTo("submitted"));
        await Act(Ministry("appraiser-1"), project, "start-appraisal");
        await Act(Ministry("appraiser-1"), project, "conclude");
        await Refused(await Post(Ministry("appraiser-1"), project, "approve", new { decision = Decision() }), HttpStatusCode.Conflict, "maker-checker");
        await Refused(await Post(Ministry("director-2"), project, "approve", new { }), HttpStatusCode.UnprocessableEntity, "decision");
        var approved = await Act(Ministry("director-2"), project, "approve", new { decision = Decision() });

        Assert.Multiple(() =>
        {
            Assert.That(approved.GetProperty("state").GetString(), Is.EqualTo("approved"));
            Assert.That(approved.GetProperty("decision").GetProperty("number").GetString(), Is.EqualTo("123/QD-BKHDT"));
            Assert.That(approved.GetProperty("overdue").GetBoolean(), Is.False);
        });
        var history = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{project}/approval/history");
        var steps = history.GetProperty("items").EnumerateArray().ToList();
        Assert.That(steps.Select(s => s.GetProperty("action").GetString()), Is.EqualTo(new[] { "register", "submit", "start-appraisal", "conclude", "approve" }));
        Assert.That(steps.Select(s => s.GetProperty("to").GetString()), Is.EqualTo(new[] { "draft", "submitted", "under-appraisal", "appraised", "approved" }));
        Assert.That(steps[1].GetProperty("actor").GetProperty("role").GetString(), Is.EqualTo("partner"));
        Assert.That(steps[1].GetProperty("actor").GetProperty("ngoId").GetGuid(), Is.EqualTo(ngo));
        Assert.That(steps[4].GetProperty("actor").GetProperty("subject").GetString(), Is.EqualTo("director-2"));
        Assert.That(steps[4].GetProperty("decision").GetProperty("authority").GetString(), Is.EqualTo("Ministry of Finance"));
        await Eventually.True(() => events.Of<ProjectUpdated>().Any(e => e.ProjectId == project && e.ApprovalState == "approved"), "the approved project's event");
        Assert.That(events.Of<ProjectRegistered>().Single(e => e.ProjectId == project).ApprovalState, Is.EqualTo("draft"));
    }

    [Test]
    public async Task A_submitted_dossier_is_due_in_working_days_and_listed_as_overdue_once_past_it()
    {
        var ngo = await Ngo();
        using var partner = Partner(ngo);
        var project = await Register(partner, ngo, "draft");
        var submitted = await Act(partner, project, "submit");
        var dueBy = DateOnly.Parse(submitted.GetProperty("dueBy").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.That(dueBy, Is.GreaterThanOrEqualTo(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(26)), "20 working days span at least 26 calendar days");
        Assert.That(Listed(await Client.GetFromJsonAsync<JsonElement>($"/api/v1/approvals?overdue=true&ngoId={ngo}")), Does.Not.Contain(project));

        await Sql("update projects set due_by = current_date - 3 where id = @project", project);

        var overdue = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/approvals?overdue=true&ngoId={ngo}");
        Assert.That(Listed(overdue), Is.EqualTo(new[] { project }));
        Assert.That(overdue.GetProperty("items")[0].GetProperty("approval").GetProperty("overdue").GetBoolean(), Is.True);
        Assert.That(Listed(await Client.GetFromJsonAsync<JsonElement>($"/api/v1/approvals?state=submitted&ngoId={ngo}")), Is.EqualTo(new[] { project }));
        Assert.That(Listed(await partner.GetFromJsonAsync<JsonElement>("/api/v1/approvals")), Is.EqualTo(new[] { project }), "a partner lists its own");
        Assert.That((await partner.GetAsync($"/api/v1/approvals?ngoId={await Ngo()}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Roles_and_states_the_table_does_not_allow_are_refused_naming_the_rule()
    {
        var ngo = await Ngo();
        using var partner = Partner(ngo);
        using var stranger = Partner(await Ngo());
        using var auditor = Factory.CreateClient().As("auditor");
        var project = await Register(partner, ngo, "draft");

        await Refused(await Post(partner, project, "start-appraisal", new { }), HttpStatusCode.Conflict, "start-appraisal is for ministry");
        await Refused(await Post(Client, project, "conclude", new { }), HttpStatusCode.Conflict, "conclude is allowed from under-appraisal; the project is draft");
        await Refused(await Post(Client, project, "bless", new { }), HttpStatusCode.NotFound, "the actions are submit");
        Assert.That((await Post(auditor, project, "submit", new { })).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await Post(stranger, project, "submit", new { })).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await stranger.GetAsync($"/api/v1/projects/{project}/approval/history")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));

        await Act(partner, project, "submit");
        await Refused(await Post(Client, project, "return", new { }), HttpStatusCode.UnprocessableEntity, "reason");
        Assert.That((await Act(Client, project, "return", new { reason = "Budget annex missing." })).GetProperty("state").GetString(), Is.EqualTo("draft"));
        Assert.That((await Act(partner, project, "withdraw")).GetProperty("state").GetString(), Is.EqualTo("withdrawn"));
        await Refused(await Post(partner, project, "submit", new { }), HttpStatusCode.Conflict, "the project is withdrawn");
    }

    [Test]
    public async Task A_partner_changes_its_dossier_only_while_draft_and_registers_only_for_its_own_NGO()
    {
        var ngo = await Ngo();
        using var partner = Partner(ngo);
        var project = await Register(partner, ngo, "draft");
        Assert.That((await Put(partner, project, ngo, "\"1\"")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        await Act(partner, project, "submit");

        await Refused(await Put(partner, project, ngo, "\"3\""), HttpStatusCode.Conflict, "only while it is a draft");
        Assert.That((await Put(Client, project, ngo, "\"3\"")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the ministry may change an open dossier");
        var foreign = await Post(partner, "/api/v1/projects", ProjectBody(await NgoWithCertificate()));
        await Refused(foreign, HttpStatusCode.UnprocessableEntity, "does not exist");
    }

    [Test]
    public async Task A_ministry_registration_records_the_approval_given()
    {
        var ngo = await Ngo();
        var response = await Post(Client, "/api/v1/projects", ProjectBody(ngo, approval: new { decision = Decision() }));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var approval = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("approval");
        Assert.That(approval.GetProperty("state").GetString(), Is.EqualTo("approved"));
        Assert.That(approval.GetProperty("decision").GetProperty("date").GetString(), Is.EqualTo("2024-05-20"));

        var future = await Post(Client, "/api/v1/projects", ProjectBody(ngo, approval: new { decision = Decision("2099-01-01") }));
        await Refused(future, HttpStatusCode.UnprocessableEntity, "approval.decision.date");
    }

    [Test]
    public async Task Two_approvers_at_once_one_wins_and_the_other_gets_409()
    {
        var project = await Appraised();
        var answers = await Task.WhenAll(
            Post(Ministry("director-a"), project, "approve", new { decision = Decision() }),
            Post(Ministry("director-b"), project, "refuse", new { reason = "Overlaps an existing project." }));

        Assert.That(answers.Select(a => a.StatusCode).Order(), Is.EqualTo(new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
        var history = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{project}/approval/history");
        Assert.That(history.GetProperty("items").EnumerateArray().Count(s => s.GetProperty("from").GetString() == "appraised"), Is.EqualTo(1));
    }

    [Test]
    public async Task Suspension_and_amendment_return_to_the_state_they_interrupted()
    {
        var project = await Appraised();
        await Act(Ministry("director-a"), project, "approve", new { decision = Decision() });
        await Act(Client, project, "start");
        var ngo = await Owner(project);
        using var partner = Partner(ngo);
        Assert.That((await Act(partner, project, "request-amendment", new { reason = "Add a province." })).GetProperty("state").GetString(), Is.EqualTo("amendment-pending"));
        Assert.That((await Act(Client, project, "suspend", new { reason = "Inspection." })).GetProperty("state").GetString(), Is.EqualTo("suspended"));
        Assert.That((await Act(Client, project, "resume")).GetProperty("state").GetString(), Is.EqualTo("amendment-pending"));
        Assert.That((await Act(Client, project, "approve-amendment")).GetProperty("state").GetString(), Is.EqualTo("in-implementation"));
        Assert.That((await Act(Client, project, "complete")).GetProperty("state").GetString(), Is.EqualTo("completed"));
        await Refused(await Put(Client, project, ngo, null), HttpStatusCode.Conflict, "final");
    }

    [Test]
    public async Task Revocation_waits_six_months_from_the_decision_without_disbursement()
    {
        var recent = await Approved("2026-10-01");
        await Refused(await Post(Client, recent, "revoke", new { reason = "Not started." }), HttpStatusCode.Conflict, "6 months");
        var old = await Approved("2025-01-10");
        Assert.That((await Act(Client, old, "revoke", new { reason = "Not started within 6 months." })).GetProperty("state").GetString(), Is.EqualTo("revoked"));
    }

    [Test]
    public async Task The_first_disbursement_starts_an_approved_project_once_even_when_delivered_twice()
    {
        var project = await Approved("2026-10-01");
        var ngo = await Owner(project);
        var recorded = new AidPlatform.Contracts.Disbursement.DisbursementRecorded
        {
            EventId = Guid.NewGuid(), OccurredAt = DateTimeOffset.UtcNow, DisbursementId = Guid.NewGuid(), NgoId = ngo, ProjectId = project,
            Type = "disbursement", Amount = 100m, Currency = "USD", AmountUsd = 100m, FxRate = 1m, FxRateMonth = "2026-11",
            ValueDate = new DateOnly(2026, 11, 20), Reference = "FIRST-1",
        };
        var messageId = Guid.NewGuid();
        await events.Bus.Publish(recorded, c => c.MessageId = messageId);
        await events.Bus.Publish(recorded, c => c.MessageId = messageId);

        await Eventually.True(async () => (await Client.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{project}")).GetProperty("approval").GetProperty("state").GetString() == "in-implementation",
            "the project started by its first disbursement");
        await Eventually.True(async () => await Scalar("select count(*) from inbox_messages where consumer = 'DisbursementRecordedConsumer' and message_id = @project", messageId) == 1, "the delivery recorded");
        var steps = (await Client.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{project}/approval/history")).GetProperty("items").EnumerateArray().ToList();
        Assert.That(steps.Count(s => s.GetProperty("action").GetString() == "start"), Is.EqualTo(1));
        Assert.That(steps[^1].GetProperty("actor").GetProperty("role").GetString(), Is.EqualTo("system"));
        await Refused(await Post(Client, project, "revoke", new { reason = "Not started." }), HttpStatusCode.Conflict, "revoke is allowed from approved");
    }

    [Test]
    public async Task A_suspended_certificate_suspends_the_projects_it_alone_covers_and_reinstatement_resumes_them()
    {
        var ngo = await Ngo();
        var certificate = await CertificateOf(ngo);
        var covered = await Approved(ngo, "2024-05-20");
        var heldByTheMinistry = await Approved(ngo, "2024-05-20");
        await Act(Client, heldByTheMinistry, "suspend", new { reason = "Inspection." });
        var elsewhere = await NgoWithCertificate();
        var second = await Json(await Post(Client, $"/api/v1/ngos/{elsewhere}/registrations", new
        {
            kind = "representative-office", certificateNumber = $"CERT-{Guid.NewGuid():N}", issuedOn = "2024-01-01", expiresOn = "2026-12-31",
            provinceCodes = new[] { "79" }, sectorCategories = new[] { "122" },
        }), HttpStatusCode.Created);
        var doublyCovered = await Approved(elsewhere, "2024-05-20");

        await Json(await Post(Client, $"/api/v1/registrations/{certificate}/suspend", new { reason = "Reports overdue.", effectiveOn = "2026-11-01" }), HttpStatusCode.OK);
        await Json(await Post(Client, $"/api/v1/registrations/{await CertificateOf(elsewhere, except: second.GetProperty("id").GetGuid())}/suspend",
            new { reason = "Reports overdue.", effectiveOn = "2026-11-01" }), HttpStatusCode.OK);

        Assert.That(await StateOf(covered), Is.EqualTo("suspended"));
        Assert.That(await StateOf(doublyCovered), Is.EqualTo("approved"), "another valid certificate still covers it");
        var step = (await Client.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{covered}/approval/history")).GetProperty("items").EnumerateArray().Last();
        Assert.That(step.GetProperty("actor").GetProperty("role").GetString(), Is.EqualTo("system"));
        Assert.That(step.GetProperty("reason").GetString(), Does.Contain("suspended"));
        await Eventually.True(() => events.Of<ProjectUpdated>().Any(e => e.ProjectId == covered && e.ApprovalState == "suspended"), "the suspension's event");

        await Json(await Post(Client, $"/api/v1/registrations/{certificate}/reinstate", new { reason = "Reports received.", effectiveOn = "2026-11-20" }), HttpStatusCode.OK);

        Assert.That(await StateOf(covered), Is.EqualTo("approved"), "back to the state before");
        Assert.That(await StateOf(heldByTheMinistry), Is.EqualTo("suspended"), "the ministry's own suspension is the ministry's to lift");
    }

    [Test]
    public async Task A_stale_If_Match_on_an_action_is_a_412()
    {
        var ngo = await Ngo();
        using var partner = Partner(ngo);
        var project = await Register(partner, ngo, "draft");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/projects/{project}/approval/submit") { Content = JsonContent.Create(new { }) };
        request.Headers.TryAddWithoutValidation("If-Match", "\"7\"");
        Assert.That((await partner.SendAsync(request)).StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));
    }

    // ---- helpers

    private async Task<Guid> Approved(string decisionDate) => await Approved(await Ngo(), decisionDate);

    private async Task<Guid> Approved(Guid ngo, string decisionDate)
    {
        var response = await Post(Client, "/api/v1/projects", ProjectBody(ngo, approval: new { decision = Decision(decisionDate) }));
        return (await Json(response, HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }

    private async Task<Guid> Appraised()
    {
        var ngo = await Ngo();
        using var partner = Partner(ngo);
        var project = await Register(partner, ngo, "draft");
        await Act(partner, project, "submit");
        await Act(Ministry("appraiser-1"), project, "start-appraisal");
        await Act(Ministry("appraiser-1"), project, "conclude");
        return project;
    }

    private async Task<string> StateOf(Guid project) =>
        (await Client.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{project}")).GetProperty("approval").GetProperty("state").GetString()!;

    private async Task<Guid> CertificateOf(Guid ngo, Guid? except = null) =>
        (await Client.GetFromJsonAsync<JsonElement>($"/api/v1/ngos/{ngo}/registrations")).GetProperty("items").EnumerateArray()
            .Select(r => r.GetProperty("id").GetGuid()).Single(id => id != except);

    private async Task<Guid> Owner(Guid project) => (await Client.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{project}")).GetProperty("ngoId").GetGuid();

    private HttpClient Partner(Guid ngo) => Factory.CreateClient().As("partner", ngo, $"partner-{ngo:N}");

    private HttpClient Ministry(string subject) => Own(Factory.CreateClient().As("ministry", subject: subject));

    private async Task<Guid> Ngo() => await NgoWithCertificate();

    private async Task<Guid> NgoWithCertificate()
    {
        var ngo = (await Json(await Post(Client, "/api/v1/ngos", new { name = $"Fictitious Approvals {Guid.NewGuid():N}", countryOfOrigin = "NO" }), HttpStatusCode.Created)).GetProperty("id").GetGuid();
        await Json(await Post(Client, $"/api/v1/ngos/{ngo}/registrations", new
        {
            kind = "representative-office", certificateNumber = $"CERT-{Guid.NewGuid():N}", issuedOn = "2024-01-01", expiresOn = "2026-12-31",
            provinceCodes = new[] { "01", "79" }, sectorCategories = new[] { "122" },
        }), HttpStatusCode.Created);
        return ngo;
    }

    private static async Task<Guid> Register(HttpClient client, Guid ngo, string expectedState)
    {
        var project = await Json(await Post(client, "/api/v1/projects", ProjectBody(ngo)), HttpStatusCode.Created);
        Assert.That(project.GetProperty("approval").GetProperty("state").GetString(), Is.EqualTo(expectedState));
        return project.GetProperty("id").GetGuid();
    }

    private static object Decision(string date = "2024-05-20") => new { number = "123/QD-BKHDT", date, authority = "Ministry of Finance" };

    private static object ProjectBody(Guid ngo, object? approval = null) => new
    {
        ngoId = ngo,
        title = "Fictitious clean water for schools",
        status = "pipeline",
        startDate = "2024-06-01",
        endDate = "2027-05-31",
        budget = new { amount = 250_000m, currency = "USD" },
        sectors = new[] { new { code = "12220", percentage = 100m } },
        locations = new[] { new { provinceCode = "79", percentage = 100m } },
        approval,
    };

    private static async Task<JsonElement> Act(HttpClient client, Guid project, string action, object? body = null) =>
        await Json(await Post(client, project, action, body ?? new { }), HttpStatusCode.OK);

    private static Task<HttpResponseMessage> Post(HttpClient client, Guid project, string action, object body) =>
        Post(client, $"/api/v1/projects/{project}/approval/{action}", body);

    private static Task<HttpResponseMessage> Post(HttpClient client, string path, object body) => client.PostAsJsonAsync(path, body);

    private static async Task<HttpResponseMessage> Put(HttpClient client, Guid project, Guid ngo, string? ifMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/projects/{project}") { Content = JsonContent.Create(ProjectBody(ngo)) };
        request.Headers.TryAddWithoutValidation("If-Match", ifMatch ?? (await client.GetAsync($"/api/v1/projects/{project}")).Headers.ETag!.Tag);
        return await client.SendAsync(request);
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static async Task Refused(HttpResponseMessage response, HttpStatusCode status, string naming)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(text, Does.Contain(naming), text);
    }

    private static List<Guid> Listed(JsonElement page) => page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("projectId").GetGuid()).ToList();

    private static async Task<long> Scalar(string sql, Guid project)
    {
        await using var connection = new NpgsqlConnection(TestEnvironment.ServiceConnectionString("registry"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("project", project);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task Sql(string sql, Guid project)
    {
        await using var connection = new NpgsqlConnection(TestEnvironment.ServiceConnectionString("registry"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("project", project);
        Assert.That(await command.ExecuteNonQueryAsync(), Is.EqualTo(1));
    }
}
