using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AidPlatform.Contracts.Registry;
using AidPlatform.Testing;
using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AidPlatform.Disbursement.Tests;

/// <summary>
/// API.md "Ledger checks against the registry" through the service: the copy fed by events and by the registry over
/// HTTP, asked again when it says no, so no entry is refused on a copy that lags behind the registry.
/// </summary>
public sealed class Ledger_checks_against_the_registry : DisbursementSpecs
{
    private IBus Bus => Factory.Services.GetRequiredService<IBus>();

    [Test]
    public async Task An_entry_right_after_approval_succeeds_though_the_copy_still_says_appraised()
    {
        var ngo = Guid.NewGuid();
        var project = Registry.AddProject(ngo, approval: "appraised");
        var before = await Post(new { projectId = project, type = "commitment", amount = 10m, currency = "USD", valueDate = "2024-01-10", reference = Ref() });
        // The registry approves; its event has not reached the ledger (there is none here): the copy says appraised.
        Registry.SetProject(project, ngo, 2, approval: "approved");

        var after = await Post(new { projectId = project, type = "commitment", amount = 10m, currency = "USD", valueDate = "2024-01-10", reference = Ref() });

        await Recording_disbursements.Problem(before, HttpStatusCode.UnprocessableEntity, "projectId");
        Assert.That(await Message(before, "projectId"), Is.EqualTo($"Project {project} is appraised: commitments need approved, in-implementation, amendment-pending."));
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Created), await after.Content.ReadAsStringAsync());
        Assert.That(await Scalar<string>("select approval_state from projects where id = @project", new { project }), Is.EqualTo("approved"), "the answer is kept in the copy");
    }

    [TestCase("commitment", "in-implementation", true)]
    [TestCase("commitment", "appraised", false)]
    [TestCase("disbursement", "in-implementation", true)]
    [TestCase("disbursement", "amendment-pending", true)]
    [TestCase("expenditure", "suspended", false)]
    [TestCase("disbursement", "completed", false)]
    [TestCase("expenditure", "completed", true)]
    public async Task The_approval_state_admits_the_types_the_contract_names(string type, string state, bool accepted)
    {
        var project = Registry.AddProject(approval: state, endDate: "2024-06-30");

        var response = await Post(new { projectId = project, type, amount = 10m, currency = "USD", valueDate = "2024-06-01", reference = Ref() });

        if (accepted)
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        }
        else
        {
            await Recording_disbursements.Problem(response, HttpStatusCode.UnprocessableEntity, "projectId");
        }
    }

    [Test]
    public async Task Expenditures_may_follow_the_end_by_6_months_and_other_rows_may_not()
    {
        var project = Registry.AddProject(endDate: "2024-06-30");

        var expenditure = await Post(new { projectId = project, type = "expenditure", amount = 10m, currency = "USD", valueDate = "2024-12-30", reference = Ref() });
        var late = await Post(new { projectId = project, type = "expenditure", amount = 10m, currency = "USD", valueDate = "2024-12-31", reference = Ref() });
        var disbursement = await Post(new { projectId = project, type = "disbursement", amount = 10m, currency = "USD", valueDate = "2024-07-01", reference = Ref() });
        var early = await Post(new { projectId = project, type = "commitment", amount = 10m, currency = "USD", valueDate = "2014-12-31", reference = Ref() });

        Assert.That(expenditure.StatusCode, Is.EqualTo(HttpStatusCode.Created), await expenditure.Content.ReadAsStringAsync());
        await Recording_disbursements.Problem(late, HttpStatusCode.UnprocessableEntity, "valueDate");
        Assert.That(await Message(late, "valueDate"), Is.EqualTo($"2024-12-31 is after project {project}'s end 2024-06-30 (expenditures may follow it by 6 months, to 2024-12-30)."));
        await Recording_disbursements.Problem(disbursement, HttpStatusCode.UnprocessableEntity, "valueDate");
        Assert.That(await Message(early, "valueDate"), Is.EqualTo($"2014-12-31 is before project {project}'s start 2015-01-01."));
    }

    [Test]
    public async Task A_province_outside_the_project_is_refused_by_its_current_unit()
    {
        var project = Registry.AddProject(provinces: ["01", "79"]);

        var outside = await Post(new { projectId = project, amount = 10m, currency = "USD", valueDate = "2024-01-10", reference = Ref(), provinceCode = "48" });
        var inside = await Post(new { projectId = project, amount = 10m, currency = "USD", valueDate = "2024-01-10", reference = Ref(), provinceCode = "79" });

        Assert.That(await Message(outside, "provinceCode"), Is.EqualTo($"48 is not one of project {project}'s provinces 01, 79."));
        Assert.That(inside.StatusCode, Is.EqualTo(HttpStatusCode.Created), await inside.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task An_ngo_without_a_certificate_is_refused_naming_the_ngo_date_and_provinces()
    {
        var ngo = Guid.NewGuid();
        var project = Registry.AddProject(ngo, provinces: ["01", "79"], certified: false);

        var refused = await Post(new { projectId = project, amount = 10m, currency = "USD", valueDate = "2024-01-10", reference = Ref() });
        var inProvince = await Post(new { projectId = project, amount = 10m, currency = "USD", valueDate = "2024-01-10", reference = Ref(), provinceCode = "79" });

        Assert.That(await Message(refused, "valueDate"), Is.EqualTo($"NGO {ngo} holds no certificate valid on 2024-01-10 covering any of project {project}'s provinces 01, 79."));
        Assert.That(await Message(inProvince, "provinceCode"), Is.EqualTo($"NGO {ngo} holds no certificate valid on 2024-01-10 covering 79."));
    }

    [Test]
    public async Task A_certificate_not_covering_the_province_is_refused_and_one_that_does_is_accepted()
    {
        var ngo = Guid.NewGuid();
        var project = Registry.AddProject(ngo, provinces: ["01", "79"], certified: false);
        Registry.SetRegistration(Guid.NewGuid(), ngo, 1, "2015-01-01", "2035-12-31", ["01"]);

        var uncovered = await Post(new { projectId = project, amount = 10m, currency = "USD", valueDate = "2024-01-10", reference = Ref(), provinceCode = "79" });
        var covered = await Post(new { projectId = project, amount = 10m, currency = "USD", valueDate = "2024-01-10", reference = Ref(), provinceCode = "01" });
        var anyOfTheProjects = await Post(new { projectId = project, amount = 10m, currency = "USD", valueDate = "2024-01-10", reference = Ref() });

        await Recording_disbursements.Problem(uncovered, HttpStatusCode.UnprocessableEntity, "provinceCode");
        Assert.That(covered.StatusCode, Is.EqualTo(HttpStatusCode.Created), await covered.Content.ReadAsStringAsync());
        Assert.That(anyOfTheProjects.StatusCode, Is.EqualTo(HttpStatusCode.Created), await anyOfTheProjects.Content.ReadAsStringAsync());
    }

    [Test]
    public async Task A_suspension_refuses_the_dates_it_spans_and_a_reinstatement_the_registry_knows_of_lets_later_dates_in()
    {
        var ngo = Guid.NewGuid();
        var project = Registry.AddProject(ngo, certified: false);
        var certificate = Registry.SetRegistration(Guid.NewGuid(), ngo, 2, "2015-01-01", "2035-12-31", FakeRegistry.Provinces, "suspended", ("suspension", "2024-03-01", null));

        var suspended = await Post(new { projectId = project, amount = 10m, currency = "USD", valueDate = "2024-04-01", reference = Ref(), provinceCode = "79" });
        var before = await Post(new { projectId = project, amount = 10m, currency = "USD", valueDate = "2024-02-29", reference = Ref(), provinceCode = "79" });
        // Reinstated on 2024-05-01: the copy still holds the open suspension, the registry does not.
        Registry.SetRegistration(certificate, ngo, 3, "2015-01-01", "2035-12-31", FakeRegistry.Provinces, "valid", ("suspension", "2024-03-01", "2024-05-01"));
        var reinstated = await Post(new { projectId = project, amount = 10m, currency = "USD", valueDate = "2024-05-01", reference = Ref(), provinceCode = "79" });
        var stillSuspended = await Post(new { projectId = project, amount = 10m, currency = "USD", valueDate = "2024-04-30", reference = Ref(), provinceCode = "79" });

        Assert.That(await Message(suspended, "provinceCode"),
            Is.EqualTo($"NGO {ngo} holds no certificate valid on 2024-04-01 covering 79 ({certificate} has a suspension from 2024-03-01)."));
        Assert.That(before.StatusCode, Is.EqualTo(HttpStatusCode.Created), await before.Content.ReadAsStringAsync());
        Assert.That(reinstated.StatusCode, Is.EqualTo(HttpStatusCode.Created), await reinstated.Content.ReadAsStringAsync());
        await Recording_disbursements.Problem(stillSuspended, HttpStatusCode.UnprocessableEntity, "provinceCode");
        Assert.That(await Scalar<int>("select version from certificates where id = @certificate", new { certificate }), Is.EqualTo(3));
    }

    [Test]
    public async Task The_registry_being_down_when_the_copy_says_no_is_a_503_and_nothing_is_written()
    {
        var project = Registry.AddProject(approval: "draft");
        await Post(new { projectId = project, amount = 10m, currency = "USD", valueDate = "2024-01-10", reference = Ref() });
        var reference = Ref();
        Registry.Down = true;
        try
        {
            var response = await Post(new { projectId = project, amount = 10m, currency = "USD", valueDate = "2024-01-10", reference });

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), await response.Content.ReadAsStringAsync());
        }
        finally
        {
            Registry.Down = false;
        }

        Assert.That(await Scalar<long>("select count(*) from disbursements where reference = @reference", new { reference }), Is.Zero);
    }

    [Test]
    public async Task A_batch_names_each_refused_item_and_writes_nothing()
    {
        var approved = Registry.AddProject(endDate: "2024-06-30");
        var draft = Registry.AddProject(approval: "draft");
        object[] items =
        [
            new { projectId = approved, amount = 10m, currency = "USD", valueDate = "2024-01-10", reference = Ref() },
            new { projectId = draft, amount = 10m, currency = "USD", valueDate = "2024-01-10", reference = Ref() },
            new { projectId = approved, amount = 10m, currency = "USD", valueDate = "2024-07-10", reference = Ref() },
        ];

        var response = await Client.PostAsJsonAsync("/api/v1/disbursements/batch", items);

        await Recording_disbursements.Problem(response, HttpStatusCode.UnprocessableEntity, null);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
        Assert.That(errors, Is.EquivalentTo(new[] { "[1].projectId", "[2].valueDate" }));
        Assert.That(await Scalar<long>("select count(*) from disbursements where project_id = @approved", new { approved }), Is.Zero);
    }

    [Test]
    public async Task An_import_asks_the_registry_once_when_its_copy_says_no_and_goes_in()
    {
        var ngo = Guid.NewGuid();
        var project = Registry.AddProject(ngo, approval: "appraised");
        await Post(new { projectId = project, amount = 10m, currency = "USD", valueDate = "2024-01-10", reference = Ref() });
        Registry.SetProject(project, ngo, 2, approval: "approved");
        var csv = new StringBuilder("projectId,type,amount,currency,valueDate,provinceCode,reference,description\n");
        for (var i = 0; i < 30; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{project},disbursement,10.00,USD,2024-02-{1 + i % 28:00},79,I-{Guid.NewGuid():N},\n");
        }

        var status = await Import(csv.ToString());

        Assert.That(status.GetProperty("status").GetString(), Is.EqualTo("succeeded"), status.ToString());
        Assert.That(await Scalar<long>("select count(*) from disbursements where project_id = @project", new { project }), Is.EqualTo(30));
    }

    [Test]
    public async Task An_import_names_the_rows_the_registry_refuses()
    {
        var project = Registry.AddProject(approval: "suspended");
        var csv = $"projectId,type,amount,currency,valueDate,provinceCode,reference,description\n{project},disbursement,10.00,USD,2024-02-01,,I-{Guid.NewGuid():N},\n";

        var status = await Import(csv);

        Assert.That(status.GetProperty("status").GetString(), Is.EqualTo("failed"));
        var error = status.GetProperty("errors")[0];
        Assert.That((error.GetProperty("row").GetInt64(), error.GetProperty("field").GetString()), Is.EqualTo((1L, "projectId")));
        Assert.That(error.GetProperty("message").GetString(), Does.Contain("is suspended"));
    }

    [Test]
    public async Task Certificate_events_keep_the_newest_version_once_and_the_ledger_reads_them_without_asking()
    {
        var ngo = Guid.NewGuid();
        var registration = Guid.NewGuid();
        // The registry over HTTP knows no certificate of this NGO: only the events tell the ledger of one.
        var project = Registry.AddProject(ngo, certified: false);
        var recordedId = Guid.NewGuid();
        await Bus.Publish(RegistrationEvent(registration, ngo), c => c.MessageId = recordedId);
        await Eventually.True(async () => await Scalar<int?>("select version from certificates where id = @registration", new { registration }) == 1, "the certificate to be copied");

        var accepted = await Post(new { projectId = project, amount = 10m, currency = "USD", valueDate = "2024-06-01", reference = Ref(), provinceCode = "79" });

        // Suspended from 2024-05-01 (version 3), then version 2 arrives late, then the recorded event again.
        await Bus.Publish(Changed(registration, ngo, 3, "suspend", "suspended", [new() { Kind = "suspension", From = new(2024, 5, 1) }]));
        await Eventually.True(async () => await Scalar<int?>("select version from certificates where id = @registration", new { registration }) == 3, "version 3");
        var lateId = Guid.NewGuid();
        await Bus.Publish(Changed(registration, ngo, 2, "amend", "valid", []), c => c.MessageId = lateId);
        await Bus.Publish(RegistrationEvent(registration, ngo), c => c.MessageId = recordedId);
        await Eventually.True(async () => await Scalar<long>("select count(*) from inbox_messages where message_id = @lateId", new { lateId }) == 1, "the late version to be handled");
        var refused = await Post(new { projectId = project, amount = 10m, currency = "USD", valueDate = "2024-06-02", reference = Ref(), provinceCode = "79" });

        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.Created), await accepted.Content.ReadAsStringAsync());
        Assert.That(await Scalar<int>("select version from certificates where id = @registration", new { registration }), Is.EqualTo(3), "the newest version wins");
        Assert.That(await Scalar<string>("select status from certificates where id = @registration", new { registration }), Is.EqualTo("suspended"));
        Assert.That(await Scalar<long>("select count(*) from inbox_messages where message_id = @recordedId", new { recordedId }), Is.EqualTo(1), "a redelivery is handled once");
        await Recording_disbursements.Problem(refused, HttpStatusCode.UnprocessableEntity, "provinceCode");
    }

    [Test]
    public async Task A_project_event_carrying_its_approval_state_and_provinces_is_what_the_ledger_checks()
    {
        var ngo = Guid.NewGuid();
        var project = Guid.NewGuid();
        Registry.SetRegistration(Guid.NewGuid(), ngo, 1, "2015-01-01", "2035-12-31", ["15", "79"]);
        await Bus.Publish(ProjectEvent(project, ngo, 1, "approved"));
        await Eventually.True(async () => await Scalar<int?>("select version from projects where id = @project", new { project }) == 1, "the project to be copied");
        var accepted = await Post(new { projectId = project, type = "commitment", amount = 10m, currency = "USD", valueDate = "2024-06-01", reference = Ref(), provinceCode = "10" });

        // Suspended with its NGO's certificate: the registry over HTTP does not know the project (404), so the copy stands.
        await Bus.Publish(ProjectEvent(project, ngo, 2, "suspended"));
        await Eventually.True(async () => await Scalar<int?>("select version from projects where id = @project", new { project }) == 2, "version 2");
        var refused = await Post(new { projectId = project, type = "disbursement", amount = 10m, currency = "USD", valueDate = "2024-06-01", reference = Ref() });

        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.Created), await accepted.Content.ReadAsStringAsync());
        Assert.That(await Message(refused, "projectId"), Is.EqualTo($"Project {project} is suspended: disbursements need approved, in-implementation, amendment-pending."));
    }

    private static RegistrationRecorded RegistrationEvent(Guid registration, Guid ngo) => new()
    {
        EventId = Guid.NewGuid(), OccurredAt = DateTimeOffset.UtcNow, RegistrationId = registration, NgoId = ngo, Kind = "operation",
        CertificateNumber = $"C-{registration:N}", IssuedOn = new(2020, 1, 1), ExpiresOn = new(2026, 12, 31), ProvinceCodes = ["01", "79"],
        SectorCategories = ["122"], NgoStatus = "active",
    };

    private static RegistrationChanged Changed(Guid registration, Guid ngo, int version, string action, string status, CertificateInterruption[] interruptions) => new()
    {
        EventId = Guid.NewGuid(), OccurredAt = DateTimeOffset.UtcNow, RegistrationId = registration, Version = version, NgoId = ngo, Action = action,
        EffectiveOn = new(2024, 5, 1), Kind = "operation", CertificateNumber = $"C-{registration:N}", IssuedOn = new(2020, 1, 1), ExpiresOn = new(2026, 12, 31),
        Status = status, ProvinceCodes = ["01", "79"], SectorCategories = ["122"], Interruptions = interruptions, NgoStatus = "active",
    };

    /// <summary>A project in 10 (former; now 15) and 79 from 2020, as the registry publishes it.</summary>
    private static ProjectUpdated ProjectEvent(Guid project, Guid ngo, int version, string approval) => new()
    {
        EventId = Guid.NewGuid(), OccurredAt = DateTimeOffset.UtcNow, ProjectId = project, Version = version, NgoId = ngo, Title = "Fictitious",
        Status = "implementation", StartDate = new(2020, 1, 1), BudgetAmount = 1000m, BudgetCurrency = "USD",
        Sectors = [new() { Code = "12220", CategoryCode = "122", Percentage = 100m }],
        Locations = [new() { ProvinceCode = "10", CurrentProvinceCode = "15", Percentage = 50m }, new() { ProvinceCode = "79", CurrentProvinceCode = "79", Percentage = 50m }],
        ApprovalState = approval,
    };

    private static string Ref() => $"T-{Guid.NewGuid():N}";

    private Task<HttpResponseMessage> Post(object body) => Client.PostAsJsonAsync("/api/v1/disbursements", body);

    private static async Task<string?> Message(HttpResponseMessage response, string field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity), text);
        return JsonDocument.Parse(text).RootElement.GetProperty("errors").GetProperty(field)[0].GetString();
    }

    private async Task<JsonElement> Import(string csv)
    {
        var response = await Client.PostAsync("/api/v1/disbursements/imports", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
        var location = response.Headers.Location!;
        JsonElement status = default;
        await Eventually.True(async () =>
        {
            status = await Client.GetFromJsonAsync<JsonElement>(location);
            return status.GetProperty("status").GetString() is "succeeded" or "failed";
        }, "the import to finish", TimeSpan.FromSeconds(60));
        return status;
    }

    private static async Task<T> Scalar<T>(string sql, object parameters)
    {
        await using var connection = new NpgsqlConnection(TestEnvironment.ServiceConnectionString("disbursement"));
        return (await connection.ExecuteScalarAsync<T>(sql, parameters))!;
    }
}
