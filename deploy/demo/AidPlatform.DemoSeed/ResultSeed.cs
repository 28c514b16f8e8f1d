using System.Globalization;

namespace AidPlatform.DemoSeed;

/// <summary>
/// IATI policy markers and results for the demo projects, drawn from a random of each project's own (seeded by
/// its number), so the projects' other fields and every rerun stay exactly as before.
/// </summary>
internal static class ResultSeed
{
    /// <summary>The day the demo's actuals are "reported" to: periods ending later have a target only. Fixed, so a rerun sends the same bodies.</summary>
    private static readonly DateOnly ReportedTo = new(2025, 6, 30);

    /// <summary>One indicator a theme reports: SDG reference (vocabulary 9) or the NGO's own (99), measure, direction, baseline range.</summary>
    private sealed record Template(string ResultType, string ResultTitle, string Title, string Vocabulary, string Code, string Measure, bool Ascending,
        decimal BaselineFrom, decimal BaselineTo, decimal Change, int Decimals);

    private static readonly Dictionary<string, Template[]> ByCategory = new(StringComparer.Ordinal)
    {
        ["122"] =
        [
            new("impact", "Fewer mothers die in childbirth", "Maternal deaths per 100,000 live births in the project communes", "9", "3.1.1", "unit", false, 45m, 95m, -18m, 0),
            new("outcome", "Mothers give birth with skilled care", "Births attended by skilled health personnel (%)", "9", "3.1.2", "percentage", true, 60m, 85m, 10m, 1),
            new("output", "Commune health stations staffed and equipped", "Commune health workers trained in emergency obstetric care", "99", "HW-TRAINED", "unit", true, 0m, 20m, 60m, 0),
        ],
        ["112"] =
        [
            new("outcome", "Children read by the end of primary school", "Grade 3 pupils reaching minimum reading proficiency", "9", "4.1.1", "unit", true, 300m, 900m, 400m, 0),
            new("output", "Schools with inclusive classrooms", "Teachers trained in inclusive education", "99", "TEACHERS-TRAINED", "unit", true, 0m, 30m, 120m, 0),
        ],
        ["113"] =
        [
            new("outcome", "Young people gain skills for work", "Youth completing vocational training", "9", "4.3.1", "unit", true, 50m, 200m, 350m, 0),
        ],
        ["311"] =
        [
            new("outcome", "Households have enough food all year", "People in households with year-round food sufficiency", "9", "2.1.1", "unit", true, 2_000m, 8_000m, 3_000m, 0),
            new("outcome", "Farms adopt climate-resilient practices", "Share of farmed area under climate-resilient practices (%)", "9", "2.4.1", "percentage", true, 5m, 25m, 20m, 1),
        ],
        ["140"] =
        [
            new("outcome", "Villages have safe drinking water", "People using safely managed drinking water services", "9", "6.1.1", "unit", true, 1_000m, 6_000m, 5_000m, 0),
        ],
        ["160"] =
        [
            new("outcome", "Poor households are covered by social protection", "Share of poor households receiving social assistance (%)", "9", "1.3.1", "percentage", true, 20m, 50m, 20m, 1),
        ],
        ["410"] =
        [
            new("outcome", "Forests are managed by their communities", "Forest area under community management (hectares)", "9", "15.2.1", "unit", true, 500m, 3_000m, 1_500m, 0),
            new("outcome", "Communities take part in protecting their environment", "Community participation in environmental planning", "99", "ENV-PARTICIPATION", "qualitative", true, 0m, 0m, 0m, 0),
        ],
        ["740"] =
        [
            new("outcome", "Communes are prepared for disasters", "Commune disaster preparedness plans", "99", "DRR-PLANS", "qualitative", true, 0m, 0m, 0m, 0),
            new("outcome", "Local authorities adopt disaster risk reduction strategies", "Communes with a local disaster risk reduction strategy (%)", "9", "13.1.3", "percentage", true, 10m, 40m, 40m, 1),
        ],
        ["430"] =
        [
            new("outcome", "Fewer people are affected by disasters", "People affected by disasters in the project communes", "9", "11.5.1", "unit", false, 5_000m, 20_000m, -3_000m, 0),
            new("outcome", "Communes are prepared for disasters", "Commune disaster preparedness plans", "99", "DRR-PLANS", "qualitative", true, 0m, 0m, 0m, 0),
        ],
        ["151"] =
        [
            new("outcome", "Women lead in local government", "Seats held by women in commune people's councils (%)", "9", "5.5.1", "percentage", true, 20m, 30m, 8m, 1),
        ],
    };

    /// <summary>
    /// Markers as OECD reporters would set them for the project's sectors: a third of health projects gender-principal, RMNCH
    /// on maternal health, nutrition on child nutrition, climate mitigation and adaptation on environment and agriculture,
    /// disaster risk reduction on disaster prevention, some disability on education and social protection.
    /// </summary>
    public static object[] Markers(int project, IReadOnlyList<string> sectorCodes)
    {
        var random = new Random(30_000 + project);
        var markers = new Dictionary<string, int>(StringComparer.Ordinal);
        void Mark(string code, int significance) => markers[code] = Math.Max(markers.GetValueOrDefault(code), significance);
        foreach (var sector in sectorCodes)
        {
            switch (sector)
            {
                case "12220":
                    Mark("1", random.Next(3) == 0 ? 2 : 1);
                    Mark("9", random.Next(4) == 0 ? 4 : 2);
                    break;
                case "12240":
                    Mark("12", 2);
                    Mark("9", 1);
                    Mark("1", random.Next(3) == 0 ? 2 : 1);
                    break;
                case "31120" or "31161":
                    Mark("7", random.Next(2) == 0 ? 2 : 1);
                    Mark("6", 1);
                    Mark("12", random.Next(3) == 0 ? 1 : 0);
                    break;
                case "41010":
                    Mark("2", 2);
                    Mark("6", random.Next(2) == 0 ? 2 : 1);
                    Mark("7", 1);
                    break;
                case "41030":
                    Mark("5", 2);
                    Mark("2", 2);
                    Mark("6", 1);
                    break;
                case "74020" or "43060":
                    Mark("10", 2);
                    Mark("7", random.Next(2) == 0 ? 2 : 1);
                    break;
                case "15170":
                    Mark("1", 2);
                    Mark("3", 1);
                    break;
                case "16010":
                    Mark("11", random.Next(3) == 0 ? 2 : 1);
                    Mark("1", 1);
                    break;
                case "11220" or "11330":
                    Mark("1", 1);
                    Mark("11", random.Next(4) == 0 ? 1 : 0);
                    break;
                case "14030":
                    Mark("2", 1);
                    break;
            }
        }

        return markers.Where(m => m.Value > 0).OrderBy(m => int.Parse(m.Key, CultureInfo.InvariantCulture))
            .Select(m => (object)new { code = m.Key, significance = m.Value }).ToArray();
    }

    /// <summary>
    /// The results of about two in five projects: one per indicator template of the main sector's category, with yearly
    /// periods inside the project's dates, actuals for those ended by <see cref="ReportedTo"/>, some in one of its provinces.
    /// </summary>
    public static List<object> Results(int project, string mainCategory, DateOnly start, DateOnly end, IReadOnlyList<string> provinces)
    {
        var random = new Random(60_000 + project);
        if (random.Next(5) >= 2 || !ByCategory.TryGetValue(mainCategory, out var templates))
        {
            return [];
        }

        var results = new List<object>();
        foreach (var t in templates)
        {
            var baseline = Math.Round(t.BaselineFrom + (decimal)random.NextDouble() * (t.BaselineTo - t.BaselineFrom), t.Decimals);
            var qualitative = t.Measure == "qualitative";
            var periods = new List<object>();
            for (var year = 0; year < 3; year++)
            {
                var from = start.AddYears(year);
                var to = start.AddYears(year + 1).AddDays(-1);
                if (from >= end)
                {
                    break;
                }

                to = to > end ? end : to;
                if (to <= from)
                {
                    break;
                }

                var share = (year + 1) / 3m;
                var target = Math.Round(baseline + t.Change * share, t.Decimals);
                var achieved = (decimal)(0.6 + random.NextDouble() * 0.5);
                var actual = Math.Round(baseline + t.Change * share * achieved, t.Decimals);
                var province = provinces.Count > 1 && random.Next(3) == 0 ? provinces[random.Next(provinces.Count)] : null;
                periods.Add(new
                {
                    start = Day(from),
                    end = Day(to),
                    target = qualitative ? new { value = (decimal?)null, comment = (string?)$"Every target commune has a tested plan by the end of year {year + 1}" } : new { value = (decimal?)target, comment = (string?)null },
                    actual = to > ReportedTo ? null
                        : qualitative ? new { value = (decimal?)null, comment = (string?)(achieved >= 0.9m ? "Achieved in every commune" : "Achieved in most communes; drills still pending") }
                        : new { value = (decimal?)actual, comment = (string?)null },
                    provinceCode = province,
                });
            }

            results.Add(new
            {
                type = t.ResultType,
                title = t.ResultTitle,
                indicators = new[]
                {
                    new
                    {
                        title = t.Title,
                        measure = t.Measure,
                        ascending = t.Ascending,
                        references = new[] { new { vocabulary = t.Vocabulary, code = t.Code } },
                        baseline = new
                        {
                            year = start.Year - 1,
                            value = qualitative ? null : (decimal?)baseline,
                            comment = qualitative ? "Few communes had a written plan before the project" : null,
                        },
                        periods,
                    },
                },
            });
        }

        return results;
    }

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
