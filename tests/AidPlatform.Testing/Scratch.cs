using System.Diagnostics;

namespace AidPlatform.Testing;

/// <summary>
/// Throwaway PostgreSQL and RabbitMQ servers for fault tests, through <c>deploy/local/scratch</c>, so that
/// stopping or killing one never disturbs the shared servers other tests use.
/// </summary>
public static class Scratch
{
    public static Task StartPostgres(string directory, int port) => Run("pg", "start", directory, port.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public static Task StopPostgres(string directory, bool immediate = true) => Run("pg", "stop", directory, immediate ? "immediate" : "fast");

    public static Task StartRabbit(string directory, int port, int distPort, string node) =>
        Run("rabbit", "start", directory, port.ToString(System.Globalization.CultureInfo.InvariantCulture), distPort.ToString(System.Globalization.CultureInfo.InvariantCulture), node);

    public static Task StopRabbit(string node) => Run("rabbit", "stop", node);

    public static Task KillRabbit(string node) => Run("rabbit", "kill", node);

    /// <summary>A fresh directory under the repository's <c>.local/scratch</c>.</summary>
    public static string NewDirectory(string prefix)
    {
        var path = Path.Combine(TestEnvironment.RepoRoot, ".local", "scratch", TestEnvironment.UniqueName(prefix));
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>Deletes a scratch directory once its server has stopped.</summary>
    public static void Delete(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(Path.Combine(TestEnvironment.RepoRoot, "deploy", "local", "scratch"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("deploy/local/scratch did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"deploy/local/scratch {string.Join(' ', arguments)} exited {process.ExitCode}: {await output}{await error}");
        }
    }
}
