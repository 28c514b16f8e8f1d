using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AidPlatform.Contracts.Registry;
using AidPlatform.Testing;

namespace AidPlatform.Reporting.Tests;

/// <summary>
/// The indicators report over results published as the registry publishes them, against sums worked out by hand.
/// Alpha is in 01 (60%) and 79 (40%), Beta in 48; each fixture has its own NGO.
/// </summary>
public sealed class Reporting_indicators : ProjectionSpecs
{
    private Guid ngo;
    private Guid alpha;
    private Guid beta;

    [OneTimeSetUp]
    public async Task Two_projects_and_their_results()
    {
        ngo = Guid.NewGuid();
        (alpha, beta) = (Guid.NewGuid(), Guid.NewGuid());
        await PublishProject(Project(ngo, alpha, 1, [("01", 60m), ("79", 40m)]));
        await PublishProject(Project(ngo, beta, 1, [("48", 100m)]));
        var alphaResult = Result(ngo, alpha, 1,
        [
            Indicator("unit", 100m, [Sdg("3.1.1"), new IndicatorReference { Vocabulary = "99", Code = "own-1" }],
                Period(2024, 1, 150m, 140m, "01"), Period(2024, 7, 200m, null, null), Period(2025, 1, 260m, 250m, "79")),
            Indicator("percentage", 10m, [Sdg("3.1.1")], Period(2024, 1, 20m, 15m, null)),
            Qualitative("16.7.1", Period(2025, 1, null, null, null)),
        ]);
        var betaResult = Result(ngo, beta, 1,
        [
            Indicator("unit", 50m, [Sdg("3.1.1")], Period(2024, 1, 50m, 60m, null, months: 12)),
            Indicator("unit", 0m, [Sdg("4.1.1")], Period(2025, 1, 10m, null, null)),
        ]);
        await Publish(alphaResult, alphaResult.EventId);
        await Publish(betaResult, betaResult.EventId);
        await WaitForProjected(alphaResult.EventId);
        await WaitForProjected(betaResult.EventId);
    }

    private async Task<List<JsonElement>> Rows(string query = "") =>
        [.. (await Client.GetFromJsonAsync<JsonElement>($"/api/v1/reports/indicators?ngoId={ngo}{query}")).GetProperty("rows").EnumerateArray()];

    private static (string?, string?, decimal?, decimal?, decimal?, decimal?) Figures(JsonElement row) =>
        (row.GetProperty("reference").GetString(), row.GetProperty("measure").GetString(),
         Number(row, "baseline"), Number(row, "target"), Number(row, "actual"), Number(row, "achievement"));

    private static decimal? Number(JsonElement row, string name) => row.GetProperty(name).ValueKind == JsonValueKind.Null ? null : row.GetProperty(name).GetDecimal();

    private static List<Guid> Projects(JsonElement row) => [.. row.GetProperty("projects").EnumerateArray().Select(p => p.GetProperty("id").GetGuid())];

    [Test]
    public async Task Sums_unit_indicators_per_sdg_code_counting_each_baseline_once()
    {
        var rows = await Rows();

        Assert.That(rows.Select(Figures), Is.EqualTo(new (string?, string?, decimal?, decimal?, decimal?, decimal?)[]
        {
            // Baselines 100 + 50; targets 150 + 200 + 260 + 50; actuals 140 + 250 + 60; (450 - 150) / (660 - 150).
            ("3.1.1", "unit", 150m, 660m, 450m, 0.5882m),
            ("3.1.1", "percentage", null, null, null, null),
            ("4.1.1", "unit", 0m, 10m, null, null),
            ("16.7.1", "qualitative", null, null, null, null),
        }));
        Assert.That(Projects(rows[0]), Is.EquivalentTo(new[] { alpha, beta }));
        Assert.That(Projects(rows[1]), Is.EqualTo(new[] { alpha }));
        var project = rows[3].GetProperty("projects")[0];
        Assert.That((project.GetProperty("title").GetString(), project.GetProperty("ngoId").GetGuid()), Is.EqualTo(("Fictitious project (test)", ngo)));
    }

    [Test]
    public async Task Selects_periods_by_the_year_they_end()
    {
        var rows = await Rows("&year=2024");

        Assert.That(rows.Select(Figures), Is.EqualTo(new (string?, string?, decimal?, decimal?, decimal?, decimal?)[]
        {
            // Alpha's two 2024 periods and Beta's: (200 - 150) / (400 - 150).
            ("3.1.1", "unit", 150m, 400m, 200m, 0.2m),
            ("3.1.1", "percentage", null, null, null, null),
        }));
    }

    [Test]
    public async Task Selects_periods_in_a_province_and_those_without_one_in_a_project_there()
    {
        var rows79 = await Rows("&provinceCode=79");
        var rows48 = await Rows("&provinceCode=48");

        Assert.That(rows79.Select(Figures), Is.EqualTo(new (string?, string?, decimal?, decimal?, decimal?, decimal?)[]
        {
            // Alpha's period in 79 and its period without a province: (250 - 100) / (460 - 100).
            ("3.1.1", "unit", 100m, 460m, 250m, 0.4167m),
            ("3.1.1", "percentage", null, null, null, null),
            ("16.7.1", "qualitative", null, null, null, null),
        }));
        Assert.That(rows48.Select(Figures), Is.EqualTo(new (string?, string?, decimal?, decimal?, decimal?, decimal?)[]
        {
            ("3.1.1", "unit", 50m, 50m, 60m, null),  // target = baseline: no achievement
            ("4.1.1", "unit", 0m, 10m, null, null),
        }));
        Assert.That(Projects(rows48[0]), Is.EqualTo(new[] { beta }));
    }

    [Test]
    public async Task Selects_one_sdg_code()
    {
        var rows = await Rows("&reference=4.1.1");

        Assert.That(rows.Select(Figures), Is.EqualTo(new (string?, string?, decimal?, decimal?, decimal?, decimal?)[] { ("4.1.1", "unit", 0m, 10m, null, null) }));
    }

    [Test]
    public async Task Shows_a_partner_its_own_ngo_and_answers_404_for_another()
    {
        using var partner = Factory.CreateClient().As("partner", ngo, "indicators-partner");
        using var stranger = Factory.CreateClient().As("partner", Guid.NewGuid(), "indicators-stranger");

        var own = await partner.GetFromJsonAsync<JsonElement>("/api/v1/reports/indicators");
        var foreign = await stranger.GetAsync($"/api/v1/reports/indicators?ngoId={ngo}");
        var none = await stranger.GetFromJsonAsync<JsonElement>("/api/v1/reports/indicators");

        Assert.That(own.GetProperty("rows").GetArrayLength(), Is.EqualTo(4));
        Assert.That(foreign.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(none.GetProperty("rows").GetArrayLength(), Is.Zero);
    }

    [TestCase("reference=3.1", "reference", HttpStatusCode.UnprocessableEntity)]
    [TestCase("provinceCode=99", "provinceCode", HttpStatusCode.UnprocessableEntity)]
    [TestCase("year=20x4", "year", HttpStatusCode.BadRequest)]
    [TestCase("year=1066", "year", HttpStatusCode.UnprocessableEntity)]
    [TestCase("from=2024-01-01", "from", HttpStatusCode.BadRequest)]
    [TestCase("significance=any", "significance", HttpStatusCode.BadRequest)]
    public async Task Refuses_bad_parameters_naming_them(string query, string field, HttpStatusCode status)
    {
        var response = await Client.GetAsync($"/api/v1/reports/indicators?{query}");

        Assert.That(response.StatusCode, Is.EqualTo(status));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(problem.GetProperty("errors").TryGetProperty(field, out _), Is.True, problem.ToString());
    }

    internal static ResultRecorded Result(Guid ngo, Guid project, int version, IReadOnlyList<ResultIndicator> indicators, Guid? id = null) => new()
    {
        EventId = Guid.NewGuid(), OccurredAt = DateTimeOffset.UtcNow, ResultId = id ?? Guid.NewGuid(), Version = version, ProjectId = project, NgoId = ngo,
        Type = "outcome", Title = "Fictitious result (test)", Indicators = indicators,
    };

    internal static ResultUpdated Updated(ResultRecorded result, int version, IReadOnlyList<ResultIndicator> indicators) => new()
    {
        EventId = Guid.NewGuid(), OccurredAt = DateTimeOffset.UtcNow, ResultId = result.ResultId, Version = version, ProjectId = result.ProjectId,
        NgoId = result.NgoId, Type = result.Type, Title = result.Title, Indicators = indicators,
    };

    internal static IndicatorReference Sdg(string code) => new() { Vocabulary = "9", Code = code };

    internal static ResultIndicator Indicator(string measure, decimal baseline, IReadOnlyList<IndicatorReference> references, params IndicatorPeriod[] periods) => new()
    {
        Title = $"Fictitious {measure} indicator", Measure = measure, Ascending = true, References = references,
        Baseline = new IndicatorBaseline { Year = 2023, Value = baseline }, Periods = periods,
    };

    private static ResultIndicator Qualitative(string code, params IndicatorPeriod[] periods) => new()
    {
        Title = "Fictitious qualitative indicator", Measure = "qualitative", Ascending = true, References = [Sdg(code)],
        Baseline = new IndicatorBaseline { Year = 2023, Comment = "weak" }, Periods = periods,
    };

    internal static IndicatorPeriod Period(int year, int month, decimal? target, decimal? actual, string? province, int months = 6) => new()
    {
        Start = new DateOnly(year, month, 1), End = new DateOnly(year, month, 1).AddMonths(months).AddDays(-1),
        Target = new IndicatorValue { Value = target, Comment = target is null ? "better" : null },
        Actual = actual is null ? null : new IndicatorValue { Value = actual }, ProvinceCode = province,
    };
}
