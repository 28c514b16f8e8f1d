using System.Diagnostics;
namespace AidPlatform.Testing;

/// <summary>
/// One service started from its built assembly as a child process on a free loopback port, against the
/// end-to-end database and vhost (or those the settings name), as <c>deploy/local/up</c> starts it.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly List<string> output = [];

    private ServiceProcess(string name, Process process, Uri baseAddress)
    {
        Name = name;
        this.process = process;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(120) }.As("ministry");
    }

    public string Name { get; }

    /// <summary>The operating system's process id, for signals.</summary>
    public int ProcessId => process.Id;

    public bool HasExited => process.HasExited;

    public Uri BaseAddress { get; }

    public HttpClient Client { get; }

    public static string Database => Environment.GetEnvironmentVariable("AIDP_E2E_DATABASE") is { Length: > 0 } db ? db : "aidplatform_test_e2e";

    public static string VirtualHost => Environment.GetEnvironmentVariable("AIDP_E2E_VHOST") is { Length: > 0 } vhost ? vhost : "aidplatform_test_e2e";

    private static ProcessStartInfo StartInfo(string name, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> settings)
    {
        var pascal = char.ToUpperInvariant(name[0]) + name[1..];
        var configuration = Environment.GetEnvironmentVariable("AIDP_TEST_CONFIGURATION")
            ?? (AppContext.BaseDirectory.Contains("/bin/Release/", StringComparison.Ordinal) ? "Release" : "Debug");
        var dll = Path.Combine(TestEnvironment.RepoRoot, "services", name, $"AidPlatform.{pascal}.Api", "bin", configuration, "net10.0", $"AidPlatform.{pascal}.Api.dll");
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Build the solution ({configuration}) first: {dll} is missing.");
        }

        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ConnectionStrings__Postgres"] = new Npgsql.NpgsqlConnectionStringBuilder(TestEnvironment.ServiceConnectionString(name)) { Database = Database }.ConnectionString;
        start.Environment["RabbitMq__Host"] = TestEnvironment.RabbitHost;
        start.Environment["RabbitMq__Port"] = TestEnvironment.RabbitPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["RabbitMq__VirtualHost"] = VirtualHost;
        start.Environment["RabbitMq__Username"] = TestEnvironment.RabbitUser;
        start.Environment["RabbitMq__Password"] = TestEnvironment.RabbitPassword;
        start.Environment["Auth__SigningKey"] = TestEnvironment.SigningKey;
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        return start;
    }

    /// <summary>
    /// Runs the service with <paramref name="arguments"/> until it exits by itself (a one-shot such as
    /// <c>--migrate-only</c>, or a start that fails): its exit code and what it printed.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunToExit(string name, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> settings, TimeSpan timeout)
    {
        var start = StartInfo(name, arguments, settings);
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start.");
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{name} {string.Join(' ', arguments)} did not exit within {timeout}:\n{string.Join('\n', output.TakeLast(60))}");
        }

        process.WaitForExit(); // drains the output
        return (process.ExitCode, string.Join('\n', output));
    }

    public static async Task<ServiceProcess> Start(string name, int port, IReadOnlyDictionary<string, string> settings)
    {
        var start = StartInfo(name, ["--urls", $"http://127.0.0.1:{port}"], settings);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{name} did not start.");
        var service = new ServiceProcess(name, process, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => service.Record(e.Data);
        process.ErrorDataReceived += (_, e) => service.Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            await Eventually.True(async () =>
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"{name} exited with {process.ExitCode}:\n{service.Output}");
                }

                using var response = await service.Client.GetAsync("/health/ready");
                return response.IsSuccessStatusCode;
            }, $"{name} to be ready", TimeSpan.FromSeconds(90));
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }

        return service;
    }

    /// <summary>What the process printed, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return string.Join('\n', output.TakeLast(60));
            }
        }
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.Add(line);
            // Long runs log much: keep the tail that failure messages show.
            if (output.Count > 2_000)
            {
                output.RemoveRange(0, 1_000);
            }
        }
    }

    /// <summary>SIGKILL: the process gets no chance to finish anything.</summary>
    public async Task Kill()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as a deployment stops it, and the exit code once the host has drained.</summary>
    public async Task<int> Terminate(TimeSpan? grace = null)
    {
        if (!process.HasExited)
        {
            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term!.WaitForExitAsync();
            }

            using var wait = new CancellationTokenSource(grace ?? TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        return process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Terminate();
        process.Dispose();
    }
}
