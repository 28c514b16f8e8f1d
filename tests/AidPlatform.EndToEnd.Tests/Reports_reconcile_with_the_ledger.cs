using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AidPlatform.Contracts.Disbursement;
using AidPlatform.Testing;
using MassTransit;

namespace AidPlatform.EndToEnd.Tests;

/// <summary>
/// The three services as processes on the real PostgreSQL and RabbitMQ. NGOs and projects are created
/// in the registry, 5,000 transactions in six currencies over current and former province codes are
/// recorded in the ledger, some are reversed and some events are delivered twice; then every report
/// must agree with the ledger to the cent.
/// </summary>
[NonParallelizable]
public sealed class Reports_reconcile_with_the_ledger : PlatformSpecs
{
    private const int TransactionCount = 5_000;
    private static readonly string[] Dimensions = ["province", "sector", "sectorCategory", "ngo", "country", "year", "month", "type"];
    private static readonly string[] Currencies = ["USD", "EUR", "VND", "JPY", "GBP", "AUD"];
    private static readonly string[] Types = ["commitment", "disbursement", "expenditure"];
    // Current codes, and former ones whose unit merged into another (10 -> 15, 02 -> 08, 45 -> 44, 27 -> 24).
    private static readonly string[][] ProjectProvinces = [["01", "79"], ["10", "46"], ["02"], ["48", "45", "92"], ["27", "31"]];
    private static readonly (string Code, string Category)[][] ProjectSectors =
        [[("12220", "122"), ("11220", "112")], [("31120", "311")], [("41010", "410"), ("74020", "740"), ("15150", "151")]];

    [Test]
    public async Task Every_breakdown_the_summary_and_the_ledger_agree_to_the_cent()
    {
        var random = new Random(2026);
        var countBefore = (await Platform.Disbursement.Client.GetFromJsonAsync<JsonElement>("/api/v1/disbursements/totals")).GetProperty("count").GetInt64();
        var projects = await CreateNgosAndProjects(random);
        var ids = await RecordTransactions(random, projects);
        await ReverseSome(ids.Take(40));
        await DeliverSomeEventsTwice(ids.Skip(100).Take(50));

        await Eventually.True(async () => (await Reconciliation()).GetProperty("consistent").GetBoolean(),
            "reporting to reconcile with the ledger", TimeSpan.FromMinutes(3));

        var ledger = await Platform.Disbursement.Client.GetFromJsonAsync<JsonElement>("/api/v1/disbursements/totals");
        var summary = await Platform.Reporting.Client.GetFromJsonAsync<JsonElement>("/api/v1/reports/summary");
        var freshness = await Platform.Reporting.Client.GetFromJsonAsync<JsonElement>("/api/v1/reports/freshness");
        TestContext.Out.WriteLine($"ledger {ledger}\nsummary {summary}\nfreshness {freshness}");
        Assert.Multiple(() =>
        {
            Assert.That(freshness.GetProperty("pendingEvents").GetInt64(), Is.Zero, "nothing pending once reconciled");
            Assert.That(freshness.GetProperty("caughtUp").GetBoolean(), Is.True);
            Assert.That(summary.GetProperty("committedUsd").GetDecimal(), Is.EqualTo(ledger.GetProperty("byType").GetProperty("commitment").GetDecimal()));
            Assert.That(summary.GetProperty("disbursedUsd").GetDecimal(), Is.EqualTo(ledger.GetProperty("byType").GetProperty("disbursement").GetDecimal()));
            Assert.That(summary.GetProperty("expenditureUsd").GetDecimal(), Is.EqualTo(ledger.GetProperty("byType").GetProperty("expenditure").GetDecimal()));
            Assert.That(summary.GetProperty("transactionCount").GetInt64(), Is.EqualTo(ledger.GetProperty("count").GetInt64()));
            Assert.That(ledger.GetProperty("count").GetInt64() - countBefore, Is.EqualTo(TransactionCount + 40), "5,000 rows and 40 reversals, the redeliveries adding none");
        });

        foreach (var by in Dimensions)
        {
            var breakdown = await Platform.Reporting.Client.GetFromJsonAsync<JsonElement>($"/api/v1/reports/breakdown?by={by}");
            foreach (var field in new[] { "committedUsd", "disbursedUsd", "expenditureUsd" })
            {
                var rows = breakdown.GetProperty("rows").EnumerateArray().Sum(r => r.GetProperty(field).GetDecimal());
                Assert.That(rows, Is.EqualTo(summary.GetProperty(field).GetDecimal()), $"{by}: rows' {field}");
                Assert.That(breakdown.GetProperty("total").GetProperty(field).GetDecimal(), Is.EqualTo(rows), $"{by}: total {field}");
            }
        }

        var provinces = (await Platform.Reporting.Client.GetFromJsonAsync<JsonElement>("/api/v1/reports/breakdown?by=province"))
            .GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("key").GetString()).ToList();
        Assert.That(provinces, Is.SubsetOf(await CurrentProvinceCodes()), "only the 34 current units appear");
        Assert.That(provinces, Does.Contain("15").And.Contain("08"), "former codes 10 and 02 report as their current units");
    }

    private sealed record ProjectRef(Guid Id, Guid NgoId, string[] Provinces);

    private async Task<List<ProjectRef>> CreateNgosAndProjects(Random random)
    {
        var projects = new List<ProjectRef>();
        var countries = new[] { "NO", "DE", "JP", "US", "AU", "GB", "KR", "FR" };
        for (var n = 0; n < 8; n++)
        {
            var ngo = await Created(Platform.Registry.Client, "/api/v1/ngos", new
            {
                name = $"Fictitious Friends of the Delta {n} ({Guid.NewGuid():N})",
                acronym = $"FFD{n}",
                countryOfOrigin = countries[n],
            });
            var allProvinces = ProjectProvinces.SelectMany(p => p).Distinct().ToArray();
            await Created(Platform.Registry.Client, $"/api/v1/ngos/{ngo}/registrations", new
            {
                kind = "representative-office",
                certificateNumber = $"E2E-{Guid.NewGuid():N}",
                issuedOn = "2019-12-01",
                expiresOn = "2024-11-30",
                provinceCodes = allProvinces,
                sectorCategories = ProjectSectors.SelectMany(s => s).Select(s => s.Category).Distinct().ToArray(),
            });
            // A representative office runs at most 5 years: the second certificate covers the rows dated after the first.
            await Created(Platform.Registry.Client, $"/api/v1/ngos/{ngo}/registrations", new
            {
                kind = "representative-office",
                certificateNumber = $"E2E-{Guid.NewGuid():N}",
                issuedOn = "2024-12-01",
                expiresOn = "2029-11-30",
                provinceCodes = allProvinces,
                sectorCategories = ProjectSectors.SelectMany(s => s).Select(s => s.Category).Distinct().ToArray(),
            });
            for (var p = 0; p < 3; p++)
            {
                var provinces = ProjectProvinces[(n + p) % ProjectProvinces.Length];
                var sectors = ProjectSectors[(n * 3 + p) % ProjectSectors.Length];
                var project = await Created(Platform.Registry.Client, "/api/v1/projects", new
                {
                    ngoId = ngo,
                    title = $"Fictitious resilience project {n}-{p}",
                    status = "implementation",
                    startDate = "2020-01-01",
                    endDate = "2026-12-31",
                    budget = new { amount = 5_000_000m, currency = "USD" },
                    sectors = Percentages(sectors.Length).Select((pct, i) => new { code = sectors[i].Code, percentage = pct }).ToArray(),
                    locations = Percentages(provinces.Length).Select((pct, i) => new { provinceCode = provinces[i], percentage = pct }).ToArray(),
                });
                projects.Add(new ProjectRef(project, ngo, provinces));
            }
        }

        _ = random;
        return projects;
    }

    /// <summary>Uneven shares summing to exactly 100: 33.33 / 33.33 / 33.34 and the like.</summary>
    private static decimal[] Percentages(int count)
    {
        var share = Math.Round(100m / count, 2);
        return Enumerable.Range(0, count).Select(i => i < count - 1 ? share : 100m - share * (count - 1)).ToArray();
    }

    private async Task<List<Guid>> RecordTransactions(Random random, List<ProjectRef> projects)
    {
        var ids = new List<Guid>();
        for (var batch = 0; batch < TransactionCount / 1_000; batch++)
        {
            var items = Enumerable.Range(0, 1_000).Select(i =>
            {
                var project = projects[random.Next(projects.Count)];
                var currency = Currencies[random.Next(Currencies.Length)];
                var amount = currency is "VND" or "JPY"
                    ? random.Next(1_000, 500_000_000) * (currency == "VND" ? 10m : 1m)
                    : random.Next(100, 50_000_000) / 100m;
                var valueDate = new DateOnly(2020, 1, 1).AddDays(random.Next(0, 5 * 365));
                // A third of the rows name a province, as given by the partner: current or former code.
                var province = random.Next(3) == 0 ? project.Provinces[random.Next(project.Provinces.Length)] : null;
                return new
                {
                    projectId = project.Id,
                    type = Types[random.Next(Types.Length)],
                    amount,
                    currency,
                    valueDate = valueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                    provinceCode = province,
                    reference = $"E2E-{Guid.NewGuid():N}",
                };
            }).ToArray();
            var response = await Platform.Disbursement.Client.PostAsJsonAsync("/api/v1/disbursements/batch", items);
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            ids.AddRange(body.GetProperty("ids").EnumerateArray().Select(e => e.GetGuid()));
        }

        Assert.That(ids, Has.Count.EqualTo(TransactionCount));
        return ids;
    }

    private async Task ReverseSome(IEnumerable<Guid> ids)
    {
        foreach (var id in ids)
        {
            var response = await Platform.Disbursement.Client.PostAsJsonAsync($"/api/v1/disbursements/{id}/reversal", new { reason = "entered twice by the partner" });
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary>Publishes, for some ledger rows, a copy of the event with the ledger row's id as MessageId, as a broker redelivery would.</summary>
    private async Task DeliverSomeEventsTwice(IEnumerable<Guid> ids)
    {
        var provinces = await FormerToCurrent();
        await using var control = await EventTap.Listen(virtualHost: Platform.VirtualHost);
        foreach (var id in ids)
        {
            var row = await Platform.Disbursement.Client.GetFromJsonAsync<JsonElement>($"/api/v1/disbursements/{id}");
            var province = row.TryGetProperty("provinceCode", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            var copy = new DisbursementRecorded
            {
                EventId = id,
                OccurredAt = DateTimeOffset.UtcNow,
                DisbursementId = id,
                NgoId = row.GetProperty("ngoId").GetGuid(),
                ProjectId = row.GetProperty("projectId").GetGuid(),
                Type = row.GetProperty("type").GetString()!,
                Amount = row.GetProperty("amount").GetDecimal(),
                Currency = row.GetProperty("currency").GetString()!,
                AmountUsd = row.GetProperty("amountUsd").GetDecimal(),
                FxRate = row.GetProperty("fxRate").GetDecimal(),
                FxRateMonth = row.GetProperty("fxRateMonth").GetString()!,
                ValueDate = DateOnly.Parse(row.GetProperty("valueDate").GetString()!, CultureInfo.InvariantCulture),
                ProvinceCode = province,
                CurrentProvinceCode = province is null ? null : provinces[province],
                Reference = row.GetProperty("reference").GetString()!,
            };
            await control.Bus.Publish(copy, c => c.MessageId = id);
        }
    }

    private async Task<JsonElement> Reconciliation()
    {
        using var response = await Platform.Reporting.Client.GetAsync("/api/v1/reports/reconciliation");
        return response.IsSuccessStatusCode
            ? await response.Content.ReadFromJsonAsync<JsonElement>()
            : throw new InvalidOperationException($"reconciliation answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<Dictionary<string, string>> FormerToCurrent()
    {
        var former = await Platform.Registry.Client.GetFromJsonAsync<JsonElement>("/api/v1/reference/provinces/former");
        var map = former.EnumerateArray().ToDictionary(f => f.GetProperty("code").GetString()!, f => f.GetProperty("currentCode").GetString()!);
        foreach (var code in await CurrentProvinceCodes())
        {
            map.TryAdd(code, code);
        }

        return map;
    }

    private async Task<List<string>> CurrentProvinceCodes() =>
        (await Platform.Registry.Client.GetFromJsonAsync<JsonElement>("/api/v1/reference/provinces")).EnumerateArray().Select(p => p.GetProperty("code").GetString()!).ToList();

    private static async Task<Guid> Created(HttpClient client, string path, object body)
    {
        var response = await client.PostAsJsonAsync(path, body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), $"{path}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
