using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AidPlatform.Contracts.Disbursement;
using AidPlatform.Contracts.Registry;
using AidPlatform.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace AidPlatform.Reporting.Tests;

/// <summary>
/// Events published to the real broker and projected by the real consumers. Each test works with its
/// own NGO and filters by it, so tests sharing the database never see each other's amounts.
/// </summary>
public sealed class Projecting_events : ProjectionSpecs
{
    private static readonly string[] Dimensions = ["province", "sector", "sectorCategory", "ngo", "country", "year", "month", "type", "project"];

    [Test]
    public async Task A_disbursement_that_arrives_before_its_project_is_allocated_once_the_project_arrives()
    {
        var ngo = Guid.NewGuid();
        var project = Guid.NewGuid();
        await Publish(Disbursement(ngo, project, 1000.00m));
        await WaitForTotal(ngo, 1000.00m);
        Assert.That(await ProvinceKeys(ngo), Is.EqualTo(new[] { "" }), "unallocated until the project arrives");

        await Publish(Project(ngo, project, 1, [("01", 60m), ("79", 40m)]));

        await Eventually.True(async () => (await ProvinceKeys(ngo)).SequenceEqual(["01", "79"]), "the disbursement to be split over the project's provinces");
        var rows = await Rows(ngo, "province");
        Assert.That(rows.Select(r => r.GetProperty("disbursedUsd").GetDecimal()), Is.EqualTo(new[] { 600.00m, 400.00m }));
    }

    [Test]
    public async Task A_redelivered_event_is_counted_once()
    {
        var ngo = Guid.NewGuid();
        var project = Guid.NewGuid();
        await PublishProject(Project(ngo, project, 1, [("01", 100m)]));
        var twice = Disbursement(ngo, project, 250.00m);
        var messageId = Guid.NewGuid();

        await Bus.Publish(twice, c => c.MessageId = messageId);
        await Bus.Publish(twice, c => c.MessageId = messageId);
        // The same ledger row again under another message id: the row's id still de-duplicates it.
        await Bus.Publish(twice, c => c.MessageId = Guid.NewGuid());
        await Publish(Disbursement(ngo, project, 1.00m));

        await WaitForTotal(ngo, 251.00m);
        var summary = await Summary(ngo);
        Assert.That(summary.GetProperty("transactionCount").GetInt64(), Is.EqualTo(2));
    }

    [Test]
    public async Task A_project_update_reallocates_and_an_older_update_arriving_late_changes_nothing()
    {
        var ngo = Guid.NewGuid();
        var project = Guid.NewGuid();
        await PublishProject(Project(ngo, project, 1, [("01", 100m)]));
        await Publish(Disbursement(ngo, project, 99.99m));
        await WaitForTotal(ngo, 99.99m);

        await Publish(Project(ngo, project, 3, [("48", 50m), ("79", 50m)], updated: true));
        await Eventually.True(async () => (await ProvinceKeys(ngo)).SequenceEqual(["48", "79"]), "re-allocation to the new provinces");
        await Publish(Project(ngo, project, 2, [("04", 100m)], updated: true));
        // A later event shows the stale one had its turn.
        await Publish(Disbursement(ngo, project, 0.01m));
        await WaitForTotal(ngo, 100.00m);

        Assert.That(await ProvinceKeys(ngo), Is.EqualTo(new[] { "48", "79" }));
        var rows = await Rows(ngo, "province");
        Assert.That(rows.Sum(r => r.GetProperty("disbursedUsd").GetDecimal()), Is.EqualTo(100.00m));
    }

    [Test]
    public async Task A_reversal_cancels_the_original_in_every_breakdown()
    {
        var ngo = Guid.NewGuid();
        var project = Guid.NewGuid();
        await PublishProject(Project(ngo, project, 1, [("01", 33.33m), ("79", 66.67m)]));
        var original = Disbursement(ngo, project, 1234.57m);
        await Publish(original);
        await Publish(Disbursement(ngo, project, 10.00m));
        await Publish(Reversal(original));

        // All three in: the 10.00 alone would show the same total before the original and its reversal.
        await Eventually.True(async () => (await Summary(ngo)).GetProperty("transactionCount").GetInt64() == 3, "the three rows to be projected");
        await WaitForTotal(ngo, 10.00m);
        foreach (var by in Dimensions)
        {
            var rows = await Rows(ngo, by);
            Assert.That(rows.Sum(r => r.GetProperty("disbursedUsd").GetDecimal()), Is.EqualTo(10.00m), by);
        }
    }

    [Test]
    public async Task Every_breakdown_sums_exactly_to_the_summary_over_uneven_splits()
    {
        var ngo = Guid.NewGuid();
        var projects = new[] { Guid.NewGuid(), Guid.NewGuid() };
        await Publish(new NgoRegistered { EventId = Guid.NewGuid(), OccurredAt = DateTimeOffset.UtcNow, NgoId = ngo, Version = 1, Name = "Fictitious Relief (test)", CountryOfOrigin = "NO", Status = "active" });
        await PublishProject(Project(ngo, projects[0], 1, [("01", 33.33m), ("46", 33.33m), ("79", 33.34m)]));
        await PublishProject(Project(ngo, projects[1], 1, [("15", 70m), ("10", 30m)]));
        var random = new Random(7);
        var expected = new Dictionary<string, decimal> { ["commitment"] = 0, ["disbursement"] = 0, ["expenditure"] = 0 };
        var events = new List<DisbursementRecorded>();
        for (var i = 0; i < 60; i++)
        {
            var type = ReportingTypes[i % 3];
            var amount = random.Next(1, 10_000_000) / 100m;
            expected[type] += amount;
            events.Add(Disbursement(ngo, projects[i % 2], amount, type, new DateOnly(2020 + (i % 5), 1 + (i % 12), 1 + (i % 28)), i % 4 == 0 ? "24" : null));
        }

        await Task.WhenAll(events.Select(e => Publish(e)));

        await Eventually.True(async () => (await Summary(ngo)).GetProperty("transactionCount").GetInt64() == events.Count, "all 60 transactions to be projected");
        var summary = await Summary(ngo);
        Assert.That(summary.GetProperty("committedUsd").GetDecimal(), Is.EqualTo(expected["commitment"]));
        Assert.That(summary.GetProperty("disbursedUsd").GetDecimal(), Is.EqualTo(expected["disbursement"]));
        Assert.That(summary.GetProperty("expenditureUsd").GetDecimal(), Is.EqualTo(expected["expenditure"]));
        foreach (var by in Dimensions)
        {
            var body = await Breakdown(ngo, by);
            foreach (var field in new[] { "committedUsd", "disbursedUsd", "expenditureUsd" })
            {
                var rowsSum = body.GetProperty("rows").EnumerateArray().Sum(r => r.GetProperty(field).GetDecimal());
                Assert.That(rowsSum, Is.EqualTo(summary.GetProperty(field).GetDecimal()), $"{by} {field}");
                Assert.That(body.GetProperty("total").GetProperty(field).GetDecimal(), Is.EqualTo(rowsSum), $"{by} total {field}");
            }
        }

        var provinces = (await Rows(ngo, "province")).Select(r => r.GetProperty("key").GetString()).ToList();
        Assert.That(provinces, Is.EquivalentTo(new[] { "01", "46", "79", "15", "24" }), "former code 10 (Lao Cai) reports as current 15");
    }

    [Test]
    public async Task A_former_province_code_filters_by_the_current_unit()
    {
        var ngo = Guid.NewGuid();
        var project = Guid.NewGuid();
        await PublishProject(Project(ngo, project, 1, [("15", 100m)]));
        await Publish(Disbursement(ngo, project, 42.00m));
        await WaitForTotal(ngo, 42.00m);

        var summary = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/reports/summary?ngoId={ngo}&provinceCode=10");

        Assert.That(summary.GetProperty("disbursedUsd").GetDecimal(), Is.EqualTo(42.00m));
    }

    [Test]
    public async Task A_breakdown_is_served_as_csv_when_asked()
    {
        var ngo = Guid.NewGuid();
        var project = Guid.NewGuid();
        await PublishProject(Project(ngo, project, 1, [("01", 100m)]));
        await Publish(Disbursement(ngo, project, 12.34m));
        await WaitForTotal(ngo, 12.34m);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/public/reports/breakdown?by=province&ngoId={ngo}");
        request.Headers.Accept.ParseAdd("text/csv");
        var response = await Client.SendAsync(request);

        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/csv"));
        Assert.That(response.Content.Headers.ContentDisposition?.DispositionType, Is.EqualTo("attachment"));
        Assert.That(response.Content.Headers.ContentDisposition?.FileName?.Trim('"'), Does.Match(@"^breakdown-province-\d{4}-\d{2}-\d{2}\.csv$"));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo("key,label,committedUsd,disbursedUsd,expenditureUsd,transactionCount\n01,Hà Nội,0,12.34,0,1\n"));
    }

    [Test]
    public async Task Reports_filter_by_project_and_break_down_by_project_and_a_partner_naming_another_ngo_gets_404()
    {
        var ngo = Guid.NewGuid();
        var (first, second) = (Guid.NewGuid(), Guid.NewGuid());
        await PublishProject(Project(ngo, first, 1, [("01", 100m)]));
        await PublishProject(Project(ngo, second, 1, [("79", 100m)]));
        await Publish(Disbursement(ngo, first, 10.10m));
        await Publish(Disbursement(ngo, second, 0.20m));
        await WaitForTotal(ngo, 10.30m);
        using var partner = Factory.CreateClient().As("partner", ngo, "reporting-partner");
        using var stranger = Factory.CreateClient().As("partner", Guid.NewGuid(), "reporting-stranger");

        var one = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/reports/summary?projectId={first}");
        var byProject = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/reports/breakdown?by=project&ngoId={ngo}");
        var own = await partner.GetAsync($"/api/v1/reports/summary?projectId={second}");

        Assert.That(one.GetProperty("disbursedUsd").GetDecimal(), Is.EqualTo(10.10m));
        Assert.That(byProject.GetProperty("rows").EnumerateArray().Select(r => (r.GetProperty("key").GetString(), r.GetProperty("disbursedUsd").GetDecimal())),
            Is.EquivalentTo(new[] { (first.ToString(), 10.10m), (second.ToString(), 0.20m) }));
        Assert.That((await own.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("disbursedUsd").GetDecimal(), Is.EqualTo(0.20m));
        Assert.That((await stranger.GetAsync($"/api/v1/reports/summary?ngoId={ngo}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await stranger.GetAsync($"/api/v1/reports/breakdown?by=type&projectId={first}")).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task The_project_report_converts_the_budget_at_the_start_month_rate()
    {
        var ngo = Guid.NewGuid();
        var project = Guid.NewGuid();
        await PublishProject(Project(ngo, project, 1, [("01", 100m)], budget: 900_000m, currency: "EUR"));
        await Publish(Disbursement(ngo, project, 250_000.00m));
        await WaitForTotal(ngo, 250_000.00m);

        var report = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/reports/projects/{project}");

        Assert.That(report.GetProperty("budgetUsd").GetDecimal(), Is.EqualTo(1_000_000.00m));
        Assert.That(report.GetProperty("disbursedUsd").GetDecimal(), Is.EqualTo(250_000.00m));
        Assert.That(report.GetProperty("absorptionRate").GetDecimal(), Is.EqualTo(0.25m));
    }

    [Test]
    public async Task The_project_report_adds_what_was_spent_and_its_alerts()
    {
        var ngo = Guid.NewGuid();
        var project = Guid.NewGuid();
        await PublishProject(Project(ngo, project, 1, [("01", 100m)], budget: 900_000m, currency: "EUR"));
        await Publish(Disbursement(ngo, project, 100_000.00m, "commitment"));
        await Publish(Disbursement(ngo, project, 250_000.00m));
        await Publish(Disbursement(ngo, project, 1_234.56m, "expenditure"));
        await WaitForTotal(ngo, 351_234.56m);

        var report = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/reports/projects/{project}");
        var alerts = report.GetProperty("alerts").EnumerateArray().Select(a => a.GetString()).ToList();

        Assert.That((report.GetProperty("committedUsd").GetDecimal(), report.GetProperty("disbursedUsd").GetDecimal(), report.GetProperty("expenditureUsd").GetDecimal()),
            Is.EqualTo((100_000.00m, 250_000.00m, 1_234.56m)));
        Assert.That(alerts, Does.Contain("disbursed-exceeds-committed").And.Not.Contain("disbursed-exceeds-budget"), "250,000 disbursed of 100,000 committed and a budget of 1,000,000");
    }

    [Test]
    public async Task Reconciliation_says_consistent_only_when_the_ledger_agrees()
    {
        Ledger.Totals = () => new { byType = new { commitment = 0m, disbursement = 0m, expenditure = 0m }, count = 0 };
        var own = await Client.GetFromJsonAsync<JsonElement>("/api/v1/reports/reconciliation");
        var reporting = own.GetProperty("reporting");
        Ledger.Totals = () => reporting;
        var agreeing = await Client.GetFromJsonAsync<JsonElement>("/api/v1/reports/reconciliation");
        Ledger.Totals = () => new { byType = new { commitment = 0m, disbursement = 0.01m, expenditure = 0m }, count = 1 };
        var disagreeing = await Client.GetFromJsonAsync<JsonElement>("/api/v1/reports/reconciliation");

        Assert.That(agreeing.GetProperty("consistent").GetBoolean(), Is.True);
        Assert.That(disagreeing.GetProperty("consistent").GetBoolean(), Is.False);
    }

    [Test]
    public async Task Reconciliation_answers_503_when_the_ledger_is_unreachable()
    {
        Ledger.Totals = () => null;

        var response = await Client.GetAsync("/api/v1/reports/reconciliation");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(response.Headers.RetryAfter?.Delta, Is.EqualTo(TimeSpan.FromSeconds(5)));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
    }

    [TestCase("/api/v1/reports/breakdown?by=planet", "by", HttpStatusCode.UnprocessableEntity)]
    [TestCase("/api/v1/reports/summary?from=2024-13-01", "from", HttpStatusCode.BadRequest)]
    [TestCase("/api/v1/reports/summary?type=grant", "type", HttpStatusCode.UnprocessableEntity)]
    [TestCase("/api/v1/reports/summary?ngoId=abc", "ngoId", HttpStatusCode.BadRequest)]
    [TestCase("/api/v1/reports/summary?projectid=x", "projectid", HttpStatusCode.BadRequest)]
    [TestCase("/api/v1/reports/freshness?bogus=1", "bogus", HttpStatusCode.BadRequest)]
    [TestCase("/api/v1/public/reports/summary?from=2024-02-01&to=2024-01-01", "to", HttpStatusCode.UnprocessableEntity)]
    public async Task Bad_filters_name_the_field_400_unreadable_422_invalid(string url, string field, HttpStatusCode status)
    {
        var response = await Client.GetAsync(url);

        Assert.That(response.StatusCode, Is.EqualTo(status));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(problem.GetProperty("errors").TryGetProperty(field, out _), Is.True, problem.ToString());
    }

    [TestCase("/api/v1/reports/summary?provinceCode=99")]
    [TestCase("/api/v1/reports/breakdown?by=province&sector=99999")]
    public async Task Unknown_codes_are_a_422(string url)
    {
        var response = await Client.GetAsync(url);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
    }

    [Test]
    public async Task An_unknown_project_report_is_a_404()
    {
        var response = await Client.GetAsync($"/api/v1/reports/projects/{Guid.NewGuid()}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task Freshness_counts_projected_events()
    {
        var ngo = Guid.NewGuid();
        var before = (await Client.GetFromJsonAsync<JsonElement>("/api/v1/reports/freshness")).GetProperty("eventsProcessed").GetInt64();
        await Publish(Project(ngo, Guid.NewGuid(), 1, [("01", 100m)]));

        await Eventually.True(async () => (await Client.GetFromJsonAsync<JsonElement>("/api/v1/reports/freshness")).GetProperty("eventsProcessed").GetInt64() > before,
            "the event to be counted");
        var freshness = await Client.GetFromJsonAsync<JsonElement>("/api/v1/reports/freshness");
        Assert.That(freshness.GetProperty("lagSeconds").GetDecimal(), Is.GreaterThanOrEqualTo(0));
    }

    [Test]
    public async Task Freshness_says_how_many_ledger_entries_are_not_yet_in_the_reports()
    {
        var projected = (await Client.GetFromJsonAsync<JsonElement>("/api/v1/reports/summary")).GetProperty("transactionCount").GetInt64();
        Ledger.Totals = () => new { byType = new { commitment = 0m, disbursement = 0m, expenditure = 0m }, count = projected + 1_000_000 };
        var behind = await Client.GetFromJsonAsync<JsonElement>("/api/v1/reports/freshness");
        Ledger.Totals = () => new { byType = new { commitment = 0m, disbursement = 0m, expenditure = 0m }, count = 0 };
        var level = await Client.GetFromJsonAsync<JsonElement>("/api/v1/reports/freshness");

        Assert.Multiple(() =>
        {
            // Other specs' events may still land between the two reads: at most a few fewer pending, never more.
            Assert.That(behind.GetProperty("pendingEvents").GetInt64(), Is.InRange(1_000_000 - 1_000, 1_000_000));
            Assert.That(behind.GetProperty("caughtUp").GetBoolean(), Is.False);
            Assert.That(level.GetProperty("pendingEvents").GetInt64(), Is.Zero);
            Assert.That(level.GetProperty("caughtUp").GetBoolean(), Is.True);
        });
    }
}
