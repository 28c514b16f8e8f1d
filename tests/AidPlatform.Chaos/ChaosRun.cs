using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using AidPlatform.Testing;

namespace AidPlatform.Chaos;

/// <summary>
/// Starts the three services on the run's own servers, drives the load, injects the faults on a timeline
/// while it runs, waits for the system to drain and checks that nothing acknowledged was lost or counted twice.
/// </summary>
public static class ChaosRun
{
    public static async Task<int> Execute(ChaosOptions options)
    {
        var infrastructure = new Infrastructure();
        // On the run's own servers; one partner system drives the whole load, and the platform keeps the
        // per-caller limit, not what is under test, out of the way.
        var services = new Platform(new PlatformOptions { Database = infrastructure.Database, VirtualHost = infrastructure.VirtualHost });
        var runId = $"CH{DateTime.UtcNow:HHmmss}";
        Console.WriteLine($"chaos: {options.Writes:N0} writes ({options.SingleWrites:N0} single POSTs, the rest in batches of {options.BatchSize}), broker outage {options.OutageSeconds} s, run {runId}");
        try
        {
            await services.StartAll();

            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 })
            {
                BaseAddress = services.Address("disbursement"),
                Timeout = TimeSpan.FromSeconds(30),
            }.As("ministry", subject: "chaos-load");
            var projects = await Setup.NgosAndProjects(services.Registry.Client, runId);
            Console.WriteLine($"set up {projects.Count} projects of {Setup.NgoCount} NGOs");

            var load = new LoadDriver(http, projects, options, runId);
            var clock = Stopwatch.StartNew();
            var loadTask = load.Run(CancellationToken.None);
            var timeline = new Timeline(infrastructure, services, load, options, clock);
            var progress = Report(load, options, clock, loadTask);
            await timeline.Run();
            await loadTask;
            await progress;
            var loadEnded = clock.Elapsed;
            Console.WriteLine($"load done at {loadEnded.TotalSeconds:F0} s: {load.Acknowledged.Count:N0} rows acknowledged in {load.Attempts:N0} requests");

            var drained = await Checks.WaitForDrain(infrastructure, load, clock);
            var result = await Checks.Verify(infrastructure, services, load, runId);
            var (outageAttempts, outageSuccesses) = load.OutageFigures;
            var (peak, drainedAfter) = await timeline.Backlog;
            Console.WriteLine(FormattableString.Invariant(
                $"broker outage {options.OutageSeconds} s under load: {outageSuccesses:N0} of {outageAttempts:N0} write requests succeeded ({(outageAttempts == 0 ? 0 : 100.0 * outageSuccesses / outageAttempts):F2} %); backlog peaked at {peak:N0} events and was drained {(drainedAfter is { } d ? $"{d.TotalSeconds:F1} s" : "never")} after the broker came back"));
            Console.WriteLine(FormattableString.Invariant(
                $"drain: {(drained - timeline.LastRestart).TotalSeconds:F1} s after the last restart, {(drained - loadEnded).TotalSeconds:F1} s after the load ended"));

            var exits = await services.StopAll();
            var unclean = exits.Where(e => e.Value != 0).ToList();
            Console.WriteLine($"SIGTERM at the end: {string.Join(", ", exits.Select(e => $"{e.Key} exit {e.Value}"))}");
            var passed = result && unclean.Count == 0 && load.Rejected.IsEmpty && drainedAfter is not null;
            foreach (var rejected in load.Rejected.Take(10))
            {
                Console.WriteLine($"rejected: {rejected}");
            }

            Console.WriteLine(passed ? "CHAOS PASSED" : "CHAOS FAILED");
            return passed ? 0 : 1;
        }
        catch (Exception e)
        {
            Console.WriteLine($"CHAOS FAILED: {e}");
            foreach (var name in Platform.StartOrder)
            {
                Console.WriteLine($"--- {name} output ---\n{services.Output(name)}");
            }

            await services.StopAll();
            return 1;
        }
    }

    /// <summary>A line every ten seconds, so a long run shows where it is.</summary>
    private static async Task Report(LoadDriver load, ChaosOptions options, Stopwatch clock, Task loadTask)
    {
        while (!loadTask.IsCompleted)
        {
            await Task.WhenAny(loadTask, Task.Delay(TimeSpan.FromSeconds(10)));
            Console.WriteLine(FormattableString.Invariant($"  {clock.Elapsed.TotalSeconds,5:F0} s  {load.Acknowledged.Count,9:N0} of {options.Writes:N0} acknowledged, {load.Attempts:N0} requests; failed attempts: {string.Join(", ", load.Failures.OrderBy(f => f.Key).Select(f => $"{f.Key} x{f.Value}"))}"));
        }
    }
}

/// <summary>NGOs with a certificate each, and projects the load writes to.</summary>
public static class Setup
{
    public const int NgoCount = 6;

    public static async Task<List<Guid>> NgosAndProjects(HttpClient registry, string runId)
    {
        var projects = new List<Guid>();
        for (var n = 0; n < NgoCount; n++)
        {
            var ngo = await Id(registry, "/api/v1/ngos", new { name = $"Chaos NGO {n} {runId}", countryOfOrigin = new[] { "SE", "DE", "JP", "US", "GB", "AU" }[n] });
            await Id(registry, $"/api/v1/ngos/{ngo}/registrations", new
            {
                kind = "operation", certificateNumber = $"{runId}-{n}", issuedOn = "2024-01-01", expiresOn = "2026-12-31",
                provinceCodes = new[] { "01", "79", "48" }, sectorCategories = new[] { "122", "311" },
            });
            for (var p = 0; p < 2; p++)
            {
                projects.Add(await Id(registry, "/api/v1/projects", new
                {
                    ngoId = ngo, title = $"Chaos project {n}.{p}", status = "implementation", startDate = "2024-02-01",
                    budget = new { amount = 50_000_000m, currency = "USD" },
                    sectors = new[] { new { code = "12220", percentage = 60m }, new { code = "31120", percentage = 40m } },
                    locations = new[] { new { provinceCode = "01", percentage = 50m }, new { provinceCode = "79", percentage = 30m }, new { provinceCode = "48", percentage = 20m } },
                }));
            }
        }

        return projects;
    }

    private static async Task<Guid> Id(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        var text = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid()
            : throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture, $"POST {path} answered {(int)response.StatusCode}: {text}"));
    }
}
