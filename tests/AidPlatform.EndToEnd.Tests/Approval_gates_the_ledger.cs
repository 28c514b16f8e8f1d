using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AidPlatform.Testing;

namespace AidPlatform.EndToEnd.Tests;

/// <summary>
/// The registry's approval and certificates gate the ledger through the real services: a dossier takes no money until
/// approved, an entry right after approve is accepted, the first disbursement starts the project, a suspended
/// certificate suspends it and the ledger refuses it, and reinstatement lets money flow again.
/// </summary>
public sealed class Approval_gates_the_ledger : PlatformSpecs
{
    private static readonly TimeZoneInfo Vietnam = TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh");
    private static readonly DateOnly Today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Vietnam).DateTime);

    [Test]
    public async Task A_dossier_takes_money_only_while_approved_and_its_certificate_is_valid()
    {
        var registry = Platform.Registry.Client;
        var ngo = await Created(registry, "/api/v1/ngos", new { name = $"Gates {Guid.NewGuid():N}", countryOfOrigin = "DK" });
        var certificate = await Created(registry, $"/api/v1/ngos/{ngo}/registrations", new
        {
            kind = "representative-office", certificateNumber = $"GT-{Guid.NewGuid():N}", issuedOn = Day(-400), expiresOn = Day(700),
            provinceCodes = new[] { "79" }, sectorCategories = new[] { "140" },
        });
        using var partner = Client(Platform.Registry, "partner", ngo, $"partner-{ngo:N}");
        using var ledger = Client(Platform.Disbursement, "partner", ngo, $"partner-{ngo:N}");
        using var appraiser = Client(Platform.Registry, "ministry", null, "appraiser-1");
        using var director = Client(Platform.Registry, "ministry", null, "director-2");
        var project = await Created(partner, "/api/v1/projects", new
        {
            ngoId = ngo, title = "Clean water for schools", status = "pipeline", startDate = Day(-365), endDate = Day(365),
            budget = new { amount = 80_000m, currency = "USD" },
            sectors = new[] { new { code = "14030", percentage = 100m } },
            locations = new[] { new { provinceCode = "79", percentage = 100m } },
        });

        await Refused(await Enter(ledger, project, "commitment", Day(-20)), "projectId", "is draft");

        await Act(partner, project, "submit");
        await Act(appraiser, project, "start-appraisal");
        await Act(appraiser, project, "conclude");
        await Act(director, project, "approve", new { decision = new { number = "77/QD-TEST", date = Day(-1), authority = "Ministry of Finance" } });
        await Accepted(await Enter(ledger, project, "commitment", Day(-20)), "an entry right after approve");
        await Accepted(await Enter(ledger, project, "disbursement", Day(-15)), "the first disbursement");
        await Eventually.True(async () => await StateOf(project) == "in-implementation", "the first disbursement to start the project", TimeSpan.FromMinutes(1));

        await Act(director, certificate, "suspend", new { reason = "Annual report overdue.", effectiveOn = Day(-10) }, "registrations");
        Assert.That(await StateOf(project), Is.EqualTo("suspended"), "the certificate's suspension suspends the project it alone covers");
        // The ledger's copy follows by event: a no is what it checks with the registry, a yes it trusts for that latency.
        await Eventually.True(async () => await CopiedState(project) == "suspended", "the suspension to reach the ledger's copy");
        var refused = await Enter(ledger, project, "disbursement", Day(-2));
        await Refused(refused, "projectId", "is suspended");

        await Act(director, certificate, "reinstate", new { reason = "Report received.", effectiveOn = Day(-5) }, "registrations");
        Assert.That(await StateOf(project), Is.EqualTo("in-implementation"), "reinstatement restores the state before");
        await Accepted(await Enter(ledger, project, "disbursement", Day(-2)), "an entry after reinstatement");
        await Refused(await Enter(ledger, project, "disbursement", Day(-7)), "provinceCode", "holds no certificate valid on");
    }

    private static string Day(int offset) => Today.AddDays(offset).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task<string> StateOf(Guid project) =>
        (await Platform.Registry.Client.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{project}")).GetProperty("approval").GetProperty("state").GetString()!;

    private async Task<string?> CopiedState(Guid project)
    {
        await using var connection = Platform.Connect();
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("select approval_state from disbursement.projects where id = @project", connection);
        command.Parameters.AddWithValue("project", project);
        return (string?)await command.ExecuteScalarAsync();
    }

    private static HttpClient Client(ServiceProcess service, string role, Guid? ngo, string subject) =>
        new HttpClient { BaseAddress = service.BaseAddress }.As(role, ngo, subject);

    private static async Task<HttpResponseMessage> Enter(HttpClient ledger, Guid project, string type, string valueDate) =>
        await ledger.PostAsJsonAsync("/api/v1/disbursements", new
        {
            projectId = project, type, amount = 1_000m, currency = "USD", valueDate, provinceCode = "79", reference = $"GT-{Guid.NewGuid():N}",
        });

    private static async Task Act(HttpClient client, Guid id, string action, object? body = null, string resource = "projects")
    {
        var path = resource == "projects" ? $"/api/v1/projects/{id}/approval/{action}" : $"/api/v1/registrations/{id}/{action}";
        using var response = await client.PostAsJsonAsync(path, body ?? new { });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), $"{action}: {await response.Content.ReadAsStringAsync()}");
    }

    private static async Task Accepted(HttpResponseMessage response, string what)
    {
        using (response)
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), $"{what}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    private static async Task Refused(HttpResponseMessage response, string field, string naming)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity), text);
            var messages = JsonDocument.Parse(text).RootElement.GetProperty("errors").GetProperty(field).EnumerateArray().Select(m => m.GetString()).ToList();
            Assert.That(messages, Has.Some.Contains(naming), text);
        }
    }

    private static async Task<Guid> Created(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
