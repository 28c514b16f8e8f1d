using System.Diagnostics;

namespace AidPlatform.Deploy.Tests;

/// <summary>What a command printed and how it ended.</summary>
internal sealed record ToolResult(int ExitCode, string Output, string Error);

/// <summary>
/// Runs the command-line tools the artefacts are validated with (kubectl, docker-compose, the backup scripts).
/// A tool that is missing fails the test by name: <c>tests/run</c> installs them.
/// </summary>
internal static class Tools
{
    public static ToolResult Run(string tool, string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var path = Locate(tool);
        var start = new ProcessStartInfo(path)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{tool} {string.Join(' ', arguments)} did not finish within 5 minutes.");
        }

        return new ToolResult(process.ExitCode, output.Result, error.Result);
    }

    public static ToolResult Run(string tool, params string[] arguments) => Run(tool, RepoRoot, null, arguments);

    /// <summary>Runs and asserts exit code 0, showing what the tool said otherwise.</summary>
    public static string Succeed(string tool, IReadOnlyDictionary<string, string>? environment, params string[] arguments)
    {
        var result = Run(tool, RepoRoot, environment, arguments);
        Assert.That(result.ExitCode, Is.Zero, $"{tool} {string.Join(' ', arguments)} exited {result.ExitCode}:\n{result.Error}\n{result.Output}");
        return result.Output;
    }

    public static string Succeed(string tool, params string[] arguments) => Succeed(tool, null, arguments);

    public static string RepoRoot => AidPlatform.Testing.TestEnvironment.RepoRoot;

    private static string Locate(string tool)
    {
        if (tool.Contains('/', StringComparison.Ordinal))
        {
            var script = Path.Combine(RepoRoot, tool);
            Assert.That(File.Exists(script), Is.True, $"{script} is missing.");
            return script;
        }

        var found = (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, tool))
            .FirstOrDefault(File.Exists);
        if (found is null)
        {
            Assert.Fail($"{tool} is not installed: tests/run installs it (Debian package {PackageOf(tool)}).");
        }

        return found!;
    }

    private static string PackageOf(string tool) => tool switch
    {
        "kubectl" => "kubernetes-client",
        "docker-compose" => "docker-compose",
        _ => tool,
    };
}
