using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AidPlatform.Testing;

namespace AidPlatform.Reporting.Tests;

/// <summary>
/// The breakdown by IATI policy marker against figures worked out by hand: a project counts in full under each
/// marker it carries at the significance asked, so rows overlap and the answer says it is not additive.
/// </summary>
public sealed class Breaking_down_by_policy_marker : ProjectionSpecs
{
    private Guid ngo;
    private Guid gender;     // 1 principal, 2 significant, 3 not targeted; all in 01
    private Guid health;     // 1 significant, 9 principal-like (4); all in 79
    private Guid dryland;    // 8 principal-like (3), 2 principal; half in 01, half in 79
    private Guid unmarked;   // no markers

    [OneTimeSetUp]
    public async Task Four_projects_and_their_ledger()
    {
        ngo = Guid.NewGuid();
        (gender, health, dryland, unmarked) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await PublishProject(Project(ngo, gender, 1, [("01", 100m)], markers: [("1", 2), ("2", 1), ("3", 0)]));
        await PublishProject(Project(ngo, health, 1, [("79", 100m)], markers: [("1", 1), ("9", 4)]));
        await PublishProject(Project(ngo, dryland, 1, [("01", 50m), ("79", 50m)], markers: [("8", 3), ("2", 2)]));
        await PublishProject(Project(ngo, unmarked, 1, [("01", 100m)]));
        var july = new DateOnly(2031, 7, 15);
        await Publish(Disbursement(ngo, gender, 1000.00m, valueDate: july));
        await Publish(Disbursement(ngo, gender, 500.00m, "commitment", july));
        await Publish(Disbursement(ngo, health, 200.00m, valueDate: july));
        await Publish(Disbursement(ngo, dryland, 40.00m, valueDate: july));
        await Publish(Disbursement(ngo, unmarked, 7.00m, valueDate: july));
        await WaitForTotal(ngo, 1747.00m);
    }

    private async Task<JsonElement> Markers(string query = "") =>
        await Client.GetFromJsonAsync<JsonElement>($"/api/v1/reports/breakdown?by=policyMarker&ngoId={ngo}{query}");

    private static List<(string Key, decimal Committed, decimal Disbursed, long Count)> Figures(JsonElement breakdown) =>
        [.. breakdown.GetProperty("rows").EnumerateArray().Select(r => (r.GetProperty("key").GetString()!, r.GetProperty("committedUsd").GetDecimal(),
            r.GetProperty("disbursedUsd").GetDecimal(), r.GetProperty("transactionCount").GetInt64()))];

    [Test]
    public async Task Counts_each_project_in_full_under_every_marker_it_carries_at_any_significance()
    {
        var breakdown = await Markers();

        Assert.That(Figures(breakdown), Is.EqualTo(new[]
        {
            ("1", 500.00m, 1200.00m, 3L),  // gender (principal) + health (significant)
            ("2", 500.00m, 1040.00m, 3L),  // gender (significant) + dryland (principal)
            ("8", 0m, 40.00m, 1L),         // dryland (3)
            ("9", 0m, 200.00m, 1L),        // health (4); marker 3 is not targeted (0) and has no row
        }));
        Assert.That(breakdown.GetProperty("additive").GetBoolean(), Is.False);
        Assert.That(breakdown.GetProperty("by").GetString(), Is.EqualTo("policyMarker"));
        Assert.That(breakdown.GetProperty("rows")[0].GetProperty("label").GetString(), Is.EqualTo("Gender Equality"));
        // The total is the whole under the filters, unmarked money included, as for every breakdown.
        Assert.That(breakdown.GetProperty("total").GetProperty("disbursedUsd").GetDecimal(), Is.EqualTo(1247.00m));
        Assert.That(Figures(await Markers("&significance=any")), Is.EqualTo(Figures(breakdown)));
    }

    [Test]
    public async Task Counts_only_significant_markers_when_asked()
    {
        Assert.That(Figures(await Markers("&significance=significant")), Is.EqualTo(new[]
        {
            ("1", 0m, 200.00m, 1L),        // health
            ("2", 500.00m, 1000.00m, 2L),  // gender
        }));
    }

    [Test]
    public async Task Counts_principal_and_principal_like_markers_when_asked()
    {
        Assert.That(Figures(await Markers("&significance=principal")), Is.EqualTo(new[]
        {
            ("1", 500.00m, 1000.00m, 2L),  // gender (2)
            ("2", 0m, 40.00m, 1L),         // dryland (2)
            ("8", 0m, 40.00m, 1L),         // dryland (3)
            ("9", 0m, 200.00m, 1L),        // health (4)
        }));
    }

    [Test]
    public async Task Applies_the_other_filters_as_every_breakdown_does()
    {
        // In 79: health in full, dryland's half; gender is all in 01.
        Assert.That(Figures(await Markers("&provinceCode=79")), Is.EqualTo(new[] { ("1", 0m, 200.00m, 1L), ("2", 0m, 20.00m, 1L), ("8", 0m, 20.00m, 1L), ("9", 0m, 200.00m, 1L) }));
        Assert.That(Figures(await Markers($"&projectId={gender}")), Is.EqualTo(new[] { ("1", 500.00m, 1000.00m, 2L), ("2", 500.00m, 1000.00m, 2L) }));
        Assert.That(Figures(await Markers("&type=commitment")), Is.EqualTo(new[] { ("1", 500.00m, 0m, 1L), ("2", 500.00m, 0m, 1L) }));
        // 62.5% of every project is in purpose code 12220.
        Assert.That(Figures(await Markers("&sector=12220&significance=principal")), Is.EqualTo(new[] { ("1", 312.50m, 625.00m, 2L), ("2", 0m, 25.00m, 1L), ("8", 0m, 25.00m, 1L), ("9", 0m, 125.00m, 1L) }));
        Assert.That(Figures(await Markers("&from=2031-08-01")), Is.Empty);
    }

    [Test]
    public async Task Reads_the_same_from_the_monthly_aggregates_as_from_the_cells()
    {
        // Whole months and no NGO filter: read from the aggregates. Only this fixture's ledger lies in July 2031.
        var fromAggregates = await Client.GetFromJsonAsync<JsonElement>("/api/v1/reports/breakdown?by=policyMarker&from=2031-07-01&to=2031-07-31");

        Assert.That(Figures(fromAggregates), Is.EqualTo(Figures(await Markers())));
        Assert.That(fromAggregates.GetProperty("additive").GetBoolean(), Is.False);
    }

    [Test]
    public async Task Every_other_breakdown_says_it_is_additive()
    {
        foreach (var by in new[] { "province", "sector", "sectorCategory", "ngo", "country", "year", "month", "type", "project" })
        {
            Assert.That((await Breakdown(ngo, by)).GetProperty("additive").GetBoolean(), Is.True, by);
        }
    }

    [Test]
    public async Task Is_served_as_csv_when_asked()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/public/reports/breakdown?by=policyMarker&significance=significant&ngoId={ngo}");
        request.Headers.Accept.ParseAdd("text/csv");
        var response = await Client.SendAsync(request);

        Assert.That(response.Content.Headers.ContentDisposition?.FileName?.Trim('"'), Does.Match(@"^breakdown-policyMarker-\d{4}-\d{2}-\d{2}\.csv$"));
        Assert.That(await response.Content.ReadAsStringAsync(), Is.EqualTo(
            "key,label,committedUsd,disbursedUsd,expenditureUsd,transactionCount\n1,Gender Equality,0,200.00,0,1\n2,Aid to Environment,500.00,1000.00,0,2\n"));
    }

    [TestCase("/api/v1/reports/breakdown?by=province&significance=any")]
    [TestCase("/api/v1/reports/breakdown?by=province&significance=bogus")]
    [TestCase("/api/v1/reports/breakdown?significance=principal")]
    [TestCase("/api/v1/public/reports/breakdown?by=ngo&significance=principal")]
    [TestCase("/api/v1/reports/summary?significance=principal")]
    public async Task Refuses_significance_beside_any_other_dimension_as_an_unknown_parameter(string url)
    {
        var response = await Client.GetAsync(url);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(problem.GetProperty("errors").GetProperty("significance")[0].GetString(), Does.StartWith("unknown parameter"), problem.ToString());
    }

    [Test]
    public async Task Refuses_an_unknown_significance_naming_the_allowed_ones()
    {
        var response = await Client.GetAsync("/api/v1/reports/breakdown?by=policyMarker&significance=major");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(problem.GetProperty("errors").GetProperty("significance")[0].GetString(), Is.EqualTo("must be one of any, significant, principal"));
    }
}
