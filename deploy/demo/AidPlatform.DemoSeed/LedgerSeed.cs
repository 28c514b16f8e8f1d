using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace AidPlatform.DemoSeed;

/// <summary>
/// About 50,000 ledger rows over 2019-2025 in the NGOs' own currencies, sized so that some US$1.1 billion
/// is disbursed over 2020-2024, recorded through the batch endpoint in batches of 5,000.
/// </summary>
internal static class LedgerSeed
{
    private const int Rows = 50_000;
    private const int BatchSize = 5_000;
    private const decimal Target2020To2024 = 1_140_000_000m;

    public static async Task<(int Rows, decimal Disbursed2020To2024)> Run(Uri baseAddress, List<SeededProject> projects)
    {
        using var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(5) };
        Api.Authorize(client);
        var rates = await LoadRates(client);
        var random = new Random(1140);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var drafts = new List<(SeededProject Project, string Type, decimal WeightUsd, DateOnly ValueDate)>(Rows);
        while (drafts.Count < Rows)
        {
            var project = projects[random.Next(projects.Count)];
            var last = project.EndDate < today ? project.EndDate : today;
            if (last <= project.StartDate)
            {
                continue;
            }

            var valueDate = project.StartDate.AddDays(random.Next(0, last.DayNumber - project.StartDate.DayNumber));
            var type = random.Next(100) switch { < 20 => "commitment", < 75 => "disbursement", _ => "expenditure" };
            drafts.Add((project, type, (decimal)Math.Exp(random.NextDouble() * 2.0), valueDate));
        }

        // Scale so that disbursements dated 2020-2024 add up to the target.
        var weight = drafts.Where(d => d.Type == "disbursement" && d.ValueDate.Year is >= 2020 and <= 2024).Sum(d => d.WeightUsd);
        var perWeight = Target2020To2024 / weight;
        var disbursed = 0m;
        var batches = drafts.Select((d, i) =>
        {
            var usd = Math.Round(d.WeightUsd * perWeight, 2);
            var (currency, amount) = Local(d.Project.Currency, usd, d.ValueDate, rates);
            if (d.Type == "disbursement" && d.ValueDate.Year is >= 2020 and <= 2024)
            {
                disbursed += usd;
            }

            return new
            {
                projectId = d.Project.Id,
                type = d.Type,
                amount,
                currency,
                valueDate = d.ValueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                reference = $"DEMO-{i + 1:000000}",
                description = "Fictitious demo transaction",
            };
        }).Chunk(BatchSize).ToList();

        for (var b = 0; b < batches.Count; b++)
        {
            await Api.Post(client, "/api/v1/disbursements/batch", batches[b], $"demo-ledger-{b}");
        }

        return (drafts.Count, disbursed);
    }

    /// <summary>The amount in the NGO's currency at the month's rate (or USD where there is none), with that currency's decimals.</summary>
    private static (string Currency, decimal Amount) Local(string currency, decimal usd, DateOnly date, Dictionary<(string, string), decimal> rates)
    {
        var month = date.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        if (currency == "USD" || !rates.TryGetValue((currency, month), out var rate))
        {
            return ("USD", usd);
        }

        var decimals = currency is "JPY" or "KRW" or "VND" ? 0 : 2;
        return (currency, Math.Max(Math.Round(usd * rate, decimals), decimals == 0 ? 1m : 0.01m));
    }

    private static async Task<Dictionary<(string, string), decimal>> LoadRates(HttpClient client)
    {
        var rates = new Dictionary<(string, string), decimal>();
        for (var page = 1; ; page++)
        {
            var body = await client.GetFromJsonAsync<JsonElement>($"/api/v1/exchange-rates?from=2019-01&pageSize=500&page={page}");
            foreach (var rate in body.GetProperty("items").EnumerateArray())
            {
                rates[(rate.GetProperty("currency").GetString()!, rate.GetProperty("month").GetString()!)] = rate.GetProperty("unitsPerUsd").GetDecimal();
            }

            if (page * 500 >= body.GetProperty("total").GetInt64())
            {
                return rates;
            }
        }
    }
}
