using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AidPlatform.ServiceDefaults;
using AidPlatform.Testing;

namespace AidPlatform.Disbursement.Tests;

/// <summary>
/// Rates kept current by upload, their history, and the coverage of what entries needed. Each spec has months
/// or a currency of its own: the seeded table ends in 2026-06, so this month (Vietnam's) has no rate for any
/// currency, and an entry dated today needs one.
/// </summary>
public sealed class Exchange_rate_uploads : DisbursementSpecs
{
    private const string Header = "month,currency,unitsPerUsd\n";

    private static readonly DateOnly Today = VietnamTime.Today;

    private static readonly string ThisMonth = Today.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    [Test]
    public async Task An_upload_creates_new_months_versions_changed_ones_and_the_same_file_again_changes_nothing()
    {
        var (m1, m2, m3) = FreeMonths();
        var first = await Upload($"{Header}{m1},NZD,10.5\n{m2},NZD,10.6\n");
        var second = await Upload($"{Header}{m2},NZD,10.65\n{m1},NZD,10.500\n{m3},NZD,10.7\n", multipart: true);
        var again = await Upload($"{Header}{m2},NZD,10.65\n{m1},NZD,10.5\n{m3},NZD,10.7\n");
        using var read = await Client.GetAsync($"/api/v1/exchange-rates/NZD/{m2}");

        Assert.Multiple(async () =>
        {
            Assert.That(Summary(first), Is.EqualTo((2, 0, 0)));
            Assert.That(Outcomes(first), Is.EqualTo(new[] { (m1, "created", 1, 10.5m), (m2, "created", 1, 10.6m) }));
            Assert.That(Summary(second), Is.EqualTo((1, 1, 1)), "10.500 is 10.5: unchanged");
            Assert.That(Outcomes(second), Is.EqualTo(new[] { (m1, "unchanged", 1, 10.5m), (m2, "updated", 2, 10.65m), (m3, "created", 1, 10.7m) }));
            Assert.That(second.GetProperty("months").EnumerateArray().Select(m => m.GetString()), Is.EqualTo(new[] { m1, m2, m3 }));
            Assert.That(Summary(again), Is.EqualTo((0, 0, 3)));
            Assert.That(Outcomes(again), Is.EqualTo(new[] { (m1, "unchanged", 1, 10.5m), (m2, "unchanged", 2, 10.65m), (m3, "unchanged", 1, 10.7m) }));
            Assert.That(read.Headers.ETag?.Tag, Is.EqualTo("\"2\""), "the same file again bumps no version");
            Assert.That((await read.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("source").GetString(), Is.EqualTo("ministry-import"));
        });
    }

    [Test]
    public async Task A_file_with_bad_lines_is_a_422_naming_each_line_and_writes_nothing()
    {
        var (m1, m2, _) = FreeMonths();
        var file = $"{Header}{m1},SEK,10.1\n{m2},SEK,-1\n2026-13,SEK,10\n{m2},XAU,1\n{m1},SEK,10.2\n{m2},SEK,1.1234567\n";

        using var response = await Client.PostAsync("/api/v1/exchange-rates/imports", new StringContent(file, Encoding.UTF8, "text/csv"));
        using var untouched = await Client.GetAsync($"/api/v1/exchange-rates/SEK/{m1}");

        await Recording_disbursements.Problem(response, HttpStatusCode.UnprocessableEntity, null);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.That(errors.EnumerateObject().Select(e => e.Name), Is.EquivalentTo(new[]
        {
            "lines[2].unitsPerUsd", "lines[3].month", "lines[4].currency", "lines[5].month", "lines[6].unitsPerUsd",
        }));
        Assert.That(errors.GetProperty("lines[5].month")[0].GetString(), Is.EqualTo($"SEK {m1} is also on line 1: one rate per currency and month."));
        Assert.That(untouched.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "the good first line was not written either");
    }

    [Test]
    public async Task An_upload_needs_csv_a_header_and_lines()
    {
        using var json = await Client.PostAsync("/api/v1/exchange-rates/imports", new StringContent("{}", Encoding.UTF8, "application/json"));
        using var noFile = await Client.PostAsync("/api/v1/exchange-rates/imports", new MultipartFormDataContent { { new StringContent("x"), "other", "x.csv" } });
        using var ledgerFile = await Client.PostAsync("/api/v1/exchange-rates/imports",
            new StringContent("projectId,type,amount,currency,valueDate,provinceCode,reference,description\n", Encoding.UTF8, "text/csv"));
        using var headerOnly = await Client.PostAsync("/api/v1/exchange-rates/imports", new StringContent(Header, Encoding.UTF8, "text/csv"));

        Assert.That(json.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
        await Recording_disbursements.Problem(noFile, HttpStatusCode.BadRequest, null);
        await Recording_disbursements.Problem(ledgerFile, HttpStatusCode.UnprocessableEntity, "header");
        await Recording_disbursements.Problem(headerOnly, HttpStatusCode.UnprocessableEntity, "file");
    }

    [TestCase("partner")]
    [TestCase("auditor")]
    public async Task Only_the_ministry_uploads_rates(string role)
    {
        var (m1, _, _) = FreeMonths();
        using var client = Factory.CreateClient().As(role, role == "partner" ? Guid.NewGuid() : null);

        using var response = await client.PostAsync("/api/v1/exchange-rates/imports", new StringContent($"{Header}{m1},DKK,6.5\n", Encoding.UTF8, "text/csv"));
        using var untouched = await Client.GetAsync($"/api/v1/exchange-rates/DKK/{m1}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(untouched.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task A_rates_history_lists_every_version_newest_first()
    {
        var (m1, m2, _) = FreeMonths();
        using var created = await Client.PutAsJsonAsync($"/api/v1/exchange-rates/CHF/{m1}", new { unitsPerUsd = 0.91m });
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        await Upload($"{Header}{m1},CHF,0.92\n");
        await Upload($"{Header}{m1},CHF,0.92\n");
        await Upload($"{Header}{m1},CHF,0.9\n");

        var history = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/exchange-rates/CHF/{m1}/history");
        using var never = await Client.GetAsync($"/api/v1/exchange-rates/CHF/{m2}/history");

        var versions = history.GetProperty("versions").EnumerateArray()
            .Select(v => (v.GetProperty("version").GetInt32(), v.GetProperty("unitsPerUsd").GetDecimal(), v.GetProperty("source").GetString())).ToList();
        Assert.That(versions, Is.EqualTo(new[] { (3, 0.9m, "ministry-import"), (2, 0.92m, "ministry-import"), (1, 0.91m, "ministry") }));
        var at = history.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("changedAt").GetDateTimeOffset()).ToList();
        Assert.That(at, Is.Ordered.Descending);
        await Recording_disbursements.Problem(never, HttpStatusCode.NotFound, null);
    }

    [Test]
    public async Task A_refused_entry_shows_its_currency_month_in_coverage_until_an_upload_covers_it_then_the_entry_goes_in()
    {
        var project = Registry.AddProject();
        var entry = new { projectId = project, amount = 1000m, currency = "ZAR", valueDate = Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), reference = $"C-{Guid.NewGuid():N}" };

        using var refused = await Client.PostAsJsonAsync("/api/v1/disbursements", entry);
        using var again = await Client.PostAsJsonAsync("/api/v1/disbursements", entry);
        var missing = await Gaps("?currency=ZAR&onlyMissing=true");
        await Upload($"{Header}{ThisMonth},ZAR,18.25\n");
        var covered = await Gaps("?currency=ZAR");
        var stillMissing = await Gaps("?currency=ZAR&onlyMissing=true");
        using var accepted = await Client.PostAsJsonAsync("/api/v1/disbursements", entry);

        await Recording_disbursements.Problem(refused, HttpStatusCode.UnprocessableEntity, "currency");
        var message = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("currency")[0].GetString();
        Assert.That(message, Does.StartWith($"No ZAR rate for {ThisMonth} (nor {Today.AddMonths(-3):yyyy-MM}..{Today.AddMonths(-1):yyyy-MM})"));
        Assert.That(await LedgerRows(project), Is.EqualTo(1), "the refusals wrote no ledger row; the accepted entry one");
        var gap = missing.GetProperty("items").EnumerateArray().Single(g => g.GetProperty("month").GetString() == ThisMonth);
        Assert.Multiple(() =>
        {
            Assert.That(gap.GetProperty("refusedEntries").GetInt64(), Is.EqualTo(2));
            Assert.That(gap.GetProperty("covered").GetBoolean(), Is.False);
            Assert.That(gap.GetProperty("coveredBy").ValueKind, Is.EqualTo(JsonValueKind.Null));
            Assert.That(gap.GetProperty("lastRefusedAt").GetDateTimeOffset(), Is.GreaterThanOrEqualTo(gap.GetProperty("firstRefusedAt").GetDateTimeOffset()));
        });
        var now = covered.GetProperty("items").EnumerateArray().Single(g => g.GetProperty("month").GetString() == ThisMonth);
        Assert.That((now.GetProperty("covered").GetBoolean(), now.GetProperty("coveredBy").GetString()), Is.EqualTo((true, ThisMonth)));
        Assert.That(stillMissing.GetProperty("items").EnumerateArray().Any(g => g.GetProperty("month").GetString() == ThisMonth), Is.False);
        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.Created), await accepted.Content.ReadAsStringAsync());
        var body = await accepted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That((body.GetProperty("fxRate").GetDecimal(), body.GetProperty("fxRateMonth").GetString()), Is.EqualTo((18.25m, ThisMonth)));
    }

    [Test]
    public async Task A_refused_batch_and_a_failed_import_count_each_entry_that_lacked_a_rate()
    {
        var project = Registry.AddProject();
        var date = Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        object Item(string currency) => new { projectId = project, amount = 10m, currency, valueDate = date, reference = $"C-{Guid.NewGuid():N}" };
        var csv = new StringBuilder("projectId,type,amount,currency,valueDate,provinceCode,reference,description\n");
        foreach (var currency in new[] { "TWD", "TWD", "USD", "TWD" })
        {
            csv.Append(CultureInfo.InvariantCulture, $"{project},disbursement,10,{currency},{date},,C-{Guid.NewGuid():N},\n");
        }

        using var batch = await Client.PostAsJsonAsync("/api/v1/disbursements/batch", new[] { Item("MYR"), Item("USD"), Item("MYR") });
        using var import = await Client.PostAsync("/api/v1/disbursements/imports", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"));
        Assert.That(import.StatusCode, Is.EqualTo(HttpStatusCode.Accepted));
        JsonElement imported = default;
        await Eventually.True(async () =>
        {
            imported = (await Gaps("?currency=TWD")).GetProperty("items").EnumerateArray().SingleOrDefault(g => g.GetProperty("month").GetString() == ThisMonth);
            return imported.ValueKind == JsonValueKind.Object;
        }, "the failed import's gap to be recorded");
        var batched = (await Gaps("?currency=MYR")).GetProperty("items").EnumerateArray().Single(g => g.GetProperty("month").GetString() == ThisMonth);

        await Recording_disbursements.Problem(batch, HttpStatusCode.UnprocessableEntity, null);
        var errors = (await batch.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name);
        Assert.That(errors, Is.EquivalentTo(new[] { "[0].currency", "[2].currency" }));
        Assert.That(batched.GetProperty("refusedEntries").GetInt64(), Is.EqualTo(2));
        Assert.That(imported.GetProperty("refusedEntries").GetInt64(), Is.EqualTo(3));
        Assert.That(await LedgerRows(project), Is.Zero);
    }

    [Test]
    public async Task Coverage_is_paged_and_reads_only_its_parameters()
    {
        var page = await Gaps("?page=1&pageSize=1");
        using var bad = await Client.GetAsync("/api/v1/exchange-rates/coverage?currency=zar");
        using var unknown = await Client.GetAsync("/api/v1/exchange-rates/coverage?month=2026-10");
        using var partner = Factory.CreateClient().As("partner", Guid.NewGuid());
        using var read = await partner.GetAsync("/api/v1/exchange-rates/coverage");

        Assert.That((page.GetProperty("page").GetInt32(), page.GetProperty("pageSize").GetInt32()), Is.EqualTo((1, 1)));
        Assert.That(page.GetProperty("items").GetArrayLength(), Is.LessThanOrEqualTo(1));
        await Recording_disbursements.Problem(bad, HttpStatusCode.UnprocessableEntity, "currency");
        await Recording_disbursements.Problem(unknown, HttpStatusCode.BadRequest, "month");
        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    /// <summary>Three consecutive months no other spec uses: in the 2190s, where nothing is seeded and other specs do not go.</summary>
    private static (string, string, string) FreeMonths()
    {
        var first = new DateOnly(2190, 1, 1).AddMonths(Interlocked.Add(ref nextMonth, 3) % 117);
        return (Month(first), Month(first.AddMonths(1)), Month(first.AddMonths(2)));
    }

    private static int nextMonth = Random.Shared.Next(0, 117);

    private static string Month(DateOnly month) => month.ToString("yyyy-MM", CultureInfo.InvariantCulture);

    private async Task<JsonElement> Upload(string csv, bool multipart = false)
    {
        using var form = new MultipartFormDataContent { { new StringContent(csv, Encoding.UTF8, "text/csv"), "file", "rates.csv" } };
        using var response = await Client.PostAsync("/api/v1/exchange-rates/imports", multipart ? form : new StringContent(csv, Encoding.UTF8, "text/csv"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private static (int, int, int) Summary(JsonElement result) =>
        (result.GetProperty("created").GetInt32(), result.GetProperty("updated").GetInt32(), result.GetProperty("unchanged").GetInt32());

    private static List<(string?, string?, int, decimal)> Outcomes(JsonElement result) =>
        result.GetProperty("rates").EnumerateArray().Select(r => (r.GetProperty("month").GetString(), r.GetProperty("outcome").GetString(),
            r.GetProperty("version").GetInt32(), r.GetProperty("unitsPerUsd").GetDecimal())).ToList();

    private async Task<JsonElement> Gaps(string query) =>
        await Client.GetFromJsonAsync<JsonElement>($"/api/v1/exchange-rates/coverage{query}");

    private async Task<long> LedgerRows(Guid project) =>
        (await Client.GetFromJsonAsync<JsonElement>($"/api/v1/disbursements?projectId={project}&pageSize=1")).GetProperty("total").GetInt64();
}
