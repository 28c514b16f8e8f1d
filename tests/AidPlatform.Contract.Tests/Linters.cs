using System.Diagnostics;
using System.Text.Json;
using AidPlatform.Testing;

namespace AidPlatform.Contract.Tests;

/// <summary>
/// Spectral (spectral:oas), Redocly (recommended) and openapi-typescript with tsc --strict over each snapshot,
/// with the tools pinned in lint/package-lock.json and installed by tests/run.
/// </summary>
public sealed class Linters
{
    private static string LintDirectory => Path.Combine(TestEnvironment.RepoRoot, "tests", "AidPlatform.Contract.Tests", "lint");

    [TestCaseSource(typeof(Services), nameof(Services.Names))]
    public async Task Spectral_finds_no_error(string service)
    {
        var (_, output, _) = await Tool("spectral", "lint", Snapshots.PathOf(service), "--ruleset", ".spectral.yaml", "--format", "json", "--quiet");
        var results = JsonDocument.Parse(output[output.IndexOf('[', StringComparison.Ordinal)..]).RootElement.EnumerateArray().ToList();
        var errors = results.Where(r => r.GetProperty("severity").GetInt32() == 0).ToList();
        TestContext.Out.WriteLine($"spectral {service}: {errors.Count} errors, {results.Count(r => r.GetProperty("severity").GetInt32() == 1)} warnings");

        Assert.That(errors.Select(Describe), Is.Empty);

        static string Describe(JsonElement r) =>
            $"{r.GetProperty("code")}: {r.GetProperty("message")} at {string.Join('.', r.GetProperty("path").EnumerateArray())}";
    }

    [TestCaseSource(typeof(Services), nameof(Services.Names))]
    public async Task Redocly_recommended_finds_no_error(string service)
    {
        var (_, output, _) = await Tool("redocly", "lint", Snapshots.PathOf(service), "--config", "redocly.yaml", "--format", "json");
        var report = JsonDocument.Parse(output[output.IndexOf('{', StringComparison.Ordinal)..]).RootElement;
        var totals = report.GetProperty("totals");
        TestContext.Out.WriteLine($"redocly {service}: {totals.GetProperty("errors")} errors, {totals.GetProperty("warnings")} warnings");
        var errors = report.GetProperty("problems").EnumerateArray().Where(p => p.GetProperty("severity").GetString() == "error")
            .Select(p => $"{p.GetProperty("ruleId")}: {p.GetProperty("message")}").Distinct().ToList();

        Assert.That(errors, Is.Empty);
    }

    [TestCaseSource(typeof(Services), nameof(Services.Names))]
    public async Task Openapi_typescript_output_compiles_under_strict(string service)
    {
        var types = Path.Combine(Path.GetTempPath(), $"aidp-contract-{service}-{Guid.NewGuid():N}.d.ts");
        try
        {
            var (generated, output, error) = await Tool("openapi-typescript", Snapshots.PathOf(service), "--output", types);
            Assert.That(generated, Is.Zero, $"openapi-typescript failed:\n{output}{error}");

            var (compiled, diagnostics, _) = await Tool("tsc", "--strict", "--noEmit", types);
            TestContext.Out.WriteLine($"tsc {service}: {diagnostics.Split('\n').Count(l => l.Contains("error TS", StringComparison.Ordinal))} errors");
            Assert.That(compiled, Is.Zero, diagnostics);
        }
        finally
        {
            File.Delete(types);
        }
    }

    /// <summary>Runs a tool of lint/node_modules/.bin; ignores the test where node or the tools are missing.</summary>
    private static async Task<(int ExitCode, string Output, string Error)> Tool(string name, params string[] arguments)
    {
        var executable = Path.Combine(LintDirectory, "node_modules", ".bin", name);
        if (!File.Exists(executable) || !OnPath("node"))
        {
            Assert.Ignore($"{name} is not installed: needs node and npm, and `npm ci` in {LintDirectory} (tests/run does it).");
        }

        var start = new ProcessStartInfo(executable) { WorkingDirectory = LintDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        arguments.ToList().ForEach(start.ArgumentList.Add);
        // Offline and quiet: no usage reports, no update checks.
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, await output, await error);
    }

    private static bool OnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, program)));
}
