using System.Globalization;
using System.Text.Json;

namespace AidPlatform.DemoSeed;

/// <summary>A project the ledger seed records against.</summary>
internal sealed record SeededProject(Guid Id, Guid NgoId, DateOnly StartDate, DateOnly EndDate, decimal BudgetUsd, string Currency);

/// <summary>
/// About 380 fictitious NGOs from 28 countries, each with two certificates, and 1,500 projects over all 34 provinces, with
/// IATI policy markers fitting their sectors and, for about two in five, results with SDG indicators (see <see cref="ResultSeed"/>).
/// </summary>
internal static class RegistrySeed
{
    private const int NgoCount = 380;
    private const int ProjectCount = 1_500;

    private static readonly (string Country, string Currency)[] Countries =
    [
        ("US", "USD"), ("GB", "GBP"), ("DE", "EUR"), ("FR", "EUR"), ("NL", "EUR"), ("BE", "EUR"), ("IE", "EUR"), ("IT", "EUR"), ("ES", "EUR"),
        ("FI", "EUR"), ("AT", "EUR"), ("NO", "NOK"), ("SE", "SEK"), ("DK", "DKK"), ("CH", "CHF"), ("JP", "JPY"), ("KR", "KRW"), ("AU", "AUD"),
        ("NZ", "NZD"), ("CA", "CAD"), ("SG", "SGD"), ("TH", "THB"), ("IN", "INR"), ("HK", "HKD"), ("TW", "TWD"), ("MY", "MYR"), ("ZA", "ZAR"), ("LU", "EUR"),
    ];

    private static readonly string[] Provinces =
    [
        "01", "04", "08", "11", "12", "14", "15", "19", "20", "22", "24", "25", "31", "33", "37", "38", "40",
        "42", "44", "46", "48", "51", "52", "56", "66", "68", "75", "79", "80", "82", "86", "91", "92", "96",
    ];

    // The main sectors of foreign NGO work in Vietnam: health, education, agriculture, poverty reduction,
    // climate and environment, disaster prevention, gender equality, water and sanitation.
    private static readonly (string Code, string Category, string Theme)[] Sectors =
    [
        ("12220", "122", "Basic Health Care"), ("12240", "122", "Child Nutrition"), ("11220", "112", "Primary Education"), ("11330", "113", "Vocational Training"),
        ("31120", "311", "Agricultural Development"), ("31161", "311", "Food Crop Production"), ("16010", "160", "Social Protection"),
        ("41010", "410", "Environmental Policy"), ("41030", "410", "Biodiversity"), ("74020", "740", "Multi-hazard Response Preparedness"),
        ("15170", "151", "Women's Rights Organisations"), ("14030", "140", "Basic Drinking Water Supply"), ("43060", "430", "Disaster Risk Reduction"),
    ];

    private static readonly string[] NameParts = ["Mekong", "Red River", "Highland", "Delta", "Lotus", "Bamboo", "Harbour", "Sunrise", "Riverbank", "Green Valley", "Lantern", "Monsoon"];
    private static readonly string[] NameKinds = ["Friends", "Alliance", "Foundation", "Partners", "Aid", "Relief", "Trust", "Network"];

    public static async Task<List<SeededProject>> Run(Uri baseAddress)
    {
        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(2) };
        Api.Authorize(client);
        var random = new Random(2026);
        var ngos = new List<(Guid Id, string[] Provinces, string Currency)>();
        for (var n = 0; n < NgoCount; n++)
        {
            var (country, currency) = Countries[n % Countries.Length];
            var name = $"{NameParts[n % NameParts.Length]} {NameKinds[n / NameParts.Length % NameKinds.Length]} {n + 1:000} (fictitious demo)";
            var ngo = await Api.Post(client, "/api/v1/ngos", new
            {
                name,
                acronym = $"DEMO{n + 1:000}",
                countryOfOrigin = country,
                iatiOrgRef = $"XM-DEMO-{n + 1:0000}",
                website = $"https://demo-ngo-{n + 1:000}.example.org",
            }, $"demo-ngo-{n}");
            var id = ngo.GetProperty("id").GetGuid();
            // Every province is somebody's: each NGO takes a run of the 34 and a few at random.
            var provinces = Enumerable.Range(0, 3).Select(k => Provinces[(n * 3 + k) % Provinces.Length])
                .Concat(Enumerable.Range(0, random.Next(1, 5)).Select(_ => Provinces[random.Next(Provinces.Length)]))
                .Distinct().ToArray();
            var categories = Sectors.Select(s => s.Category).Distinct().ToArray();
            // Representative offices run at most 5 years (Decree 58/2022/ND-CP): one to 2023, one from 2024.
            await Api.Post(client, $"/api/v1/ngos/{id}/registrations", Certificate(n, 1, "2019-01-01", "2023-12-31", provinces, categories), $"demo-registration-{n}-1");
            await Api.Post(client, $"/api/v1/ngos/{id}/registrations", Certificate(n, 2, "2024-01-01", "2028-12-30", provinces, categories), $"demo-registration-{n}-2");
            ngos.Add((id, provinces, currency));
        }

        var projects = new List<SeededProject>();
        for (var p = 0; p < ProjectCount; p++)
        {
            var ngo = ngos[p % ngos.Count];
            var start = new DateOnly(2019, 1, 1).AddDays(random.Next(0, 5 * 365 + 180));
            var end = start.AddMonths(random.Next(24, 60));
            var sectors = Enumerable.Range(0, random.Next(1, 4)).Select(_ => Sectors[random.Next(Sectors.Length)]).DistinctBy(s => s.Code).ToArray();
            var locations = ngo.Provinces.OrderBy(_ => random.Next()).Take(random.Next(1, Math.Min(4, ngo.Provinces.Length) + 1)).ToArray();
            var budgetUsd = Math.Round((decimal)Math.Exp(random.NextDouble() * 2.6 + 12.2), 0);
            var currency = random.Next(3) == 0 ? "USD" : ngo.Currency;
            var project = await Api.Post(client, "/api/v1/projects", new
            {
                ngoId = ngo.Id,
                title = $"{sectors[0].Theme} in {string.Join(", ", locations)} ({p + 1:0000}, fictitious)",
                iatiIdentifier = $"XM-DEMO-{p % ngos.Count + 1:0000}-P{p + 1:0000}",
                status = end < new DateOnly(2025, 1, 1) ? "closed" : "implementation",
                startDate = start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                endDate = end.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                // The budget is given in USD terms here; the ledger seed converts its rows.
                budget = new { amount = budgetUsd, currency = "USD" },
                sectors = Shares(sectors.Length).Select((pct, i) => new { code = sectors[i].Code, percentage = pct }).ToArray(),
                locations = Shares(locations.Length).Select((pct, i) => new { provinceCode = locations[i], percentage = pct }).ToArray(),
                policyMarkers = ResultSeed.Markers(p, sectors.Select(s => s.Code).ToList()),
            }, $"demo-project-{p}");
            var id = project.GetProperty("id").GetGuid();
            var results = ResultSeed.Results(p, sectors[0].Category, start, end, locations);
            for (var r = 0; r < results.Count; r++)
            {
                await Api.Post(client, $"/api/v1/projects/{id}/results", results[r], $"demo-result-{p}-{r}");
            }

            projects.Add(new SeededProject(id, ngo.Id, start, end, budgetUsd, currency));
        }

        return projects;
    }

    private static object Certificate(int ngo, int number, string issued, string expires, string[] provinces, string[] categories) => new
    {
        kind = "representative-office",
        certificateNumber = $"DEMO/{ngo + 1:000}/{number}",
        issuedOn = issued,
        expiresOn = expires,
        provinceCodes = provinces,
        sectorCategories = categories,
    };

    /// <summary>Percentages summing to exactly 100: 50/50, 33.33/33.33/33.34, ...</summary>
    private static decimal[] Shares(int count)
    {
        var share = Math.Round(100m / count, 2);
        return Enumerable.Range(0, count).Select(i => i < count - 1 ? share : 100m - share * (count - 1)).ToArray();
    }
}
