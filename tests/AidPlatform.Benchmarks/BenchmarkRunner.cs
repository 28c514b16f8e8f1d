using System.Globalization;
using System.Runtime.InteropServices;
using AidPlatform.Benchmarks.Infrastructure;
using AidPlatform.Benchmarks.Scenarios;

namespace AidPlatform.Benchmarks;

/// <summary>Runs the scenarios asked for against one fresh database and vhost, then writes the figures as JSON.</summary>
internal static class BenchmarkRunner
{
    // In "all", the single-POST rate feeds the lag scenario and the import's million rows feed the reports.
    private static readonly string[] Order = ["single-post", "lag", "ingest", "freshness", "reports", "projection"];

    public static async Task<int> Run(string[] args)
    {
        var outPath = Path.Combine(Testing.TestEnvironment.RepoRoot, "tests", "AidPlatform.Benchmarks", "results", "latest.json");
        var asked = new List<string>();
        var freshnessRows = FreshnessScenario.DefaultRows;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--out" && i + 1 < args.Length)
            {
                outPath = args[++i];
            }
            else if (args[i] == "--rows" && i + 1 < args.Length)
            {
                if (!int.TryParse(args[++i], CultureInfo.InvariantCulture, out freshnessRows) || freshnessRows <= 0)
                {
                    await Console.Error.WriteLineAsync($"--rows takes a positive number of rows, not {args[i]}");
                    return 2;
                }
            }
            else
            {
                asked.Add(args[i]);
            }
        }

        var scenarios = asked.Count == 0 || asked.Contains("all") ? Order : asked.SelectMany(a => a == "memory" ? ["ingest", "lag"] : new[] { a }).Distinct().ToArray();
        var unknown = scenarios.Except(Order).ToList();
        if (unknown.Count > 0)
        {
            await Console.Error.WriteLineAsync($"unknown scenario(s): {string.Join(", ", unknown)}; choose from {string.Join(", ", Order)}, memory or all");
            return 2;
        }

        var started = DateTimeOffset.UtcNow;
        var figures = new Figures();
        await using var environment = await BenchEnvironment.Create();
        foreach (var name in Order.Where(scenarios.Contains))
        {
            Stats.Progress($"scenario {name}");
            Task run = name switch
            {
                "single-post" => new SinglePostScenario(environment, figures).Run(),
                "lag" => new EventLagScenario(environment, figures).Run(),
                "ingest" => new IngestScenario(environment, figures).Run(),
                "freshness" => new FreshnessScenario(environment, figures, freshnessRows).Run(),
                "reports" => new ReportScenario(environment, figures).Run(),
                "projection" => new ProjectionScenario(environment, figures).Run(),
                _ => throw new InvalidOperationException(name),
            };
            await run;
        }

        foreach (var figure in figures.All.Where(f => f.Met is not null))
        {
            Console.WriteLine($"# {(figure.Met == true ? "met    " : "NOT MET")} {figure.Name}: {figure.Target}");
        }

        figures.Write(outPath, new Dictionary<string, string>
        {
            ["started"] = started.ToString("u", CultureInfo.InvariantCulture),
            ["seconds"] = (DateTimeOffset.UtcNow - started).TotalSeconds.ToString("0", CultureInfo.InvariantCulture),
            ["scenarios"] = string.Join(",", scenarios),
            ["machine"] = $"{Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB, {RuntimeInformation.OSDescription}, .NET {Environment.Version}",
        });
        Stats.Progress($"figures written to {outPath}");
        return 0;
    }
}
