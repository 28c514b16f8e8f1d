using System.Diagnostics;

namespace AidPlatform.Benchmarks.Infrastructure;

internal static class Stats
{
    /// <summary>The nearest-rank percentile (0-100) of the samples.</summary>
    public static double Percentile(IReadOnlyCollection<double> samples, double percentile)
    {
        if (samples.Count == 0)
        {
            return double.NaN;
        }

        var sorted = samples.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static double Milliseconds(long fromTimestamp, long toTimestamp) => Stopwatch.GetElapsedTime(fromTimestamp, toTimestamp).TotalMilliseconds;

    public static void Progress(string message) => Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] {message}");
}

/// <summary>Resident memory of a process, from /proc: the current figure and the high-water mark.</summary>
internal static class Rss
{
    public static double CurrentMb(int pid) => Read(pid, "VmRSS:");

    public static double PeakMb(int pid) => Read(pid, "VmHWM:");

    /// <summary>User and system CPU time the process has used, from /proc/pid/stat (clock ticks of 10 ms).</summary>
    public static TimeSpan CpuTime(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], System.Globalization.CultureInfo.InvariantCulture) + long.Parse(fields[12], System.Globalization.CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    private static double Read(int pid, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                // "VmRSS:	  123456 kB"
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) / 1024.0;
            }
        }

        return double.NaN;
    }
}

/// <summary>Samples a process's resident memory in the background: the peak over a window, not since start.</summary>
internal sealed class RssSampler : IAsyncDisposable
{
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public RssSampler(int pid, TimeSpan interval)
    {
        Start = Rss.CurrentMb(pid);
        Peak = Start;
        loop = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    Peak = Math.Max(Peak, Rss.CurrentMb(pid));
                    await Task.Delay(interval, stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or IOException)
                {
                    return;
                }
            }
        });
    }

    public double Start { get; }

    public double Peak { get; private set; }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        await loop;
        stop.Dispose();
    }
}

/// <summary>Samples a row count in the background: once at the start, every interval, and once more when stopped.</summary>
internal sealed class RowCountSampler
{
    private readonly Func<Task<long>> count;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    private RowCountSampler(Func<Task<long>> count, long first, TimeSpan interval)
    {
        this.count = count;
        First = Max = first;
        loop = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    await Task.Delay(interval, stop.Token);
                    Max = Math.Max(Max, await count());
                }
            }
            catch (OperationCanceledException)
            {
                // stopped
            }
        });
    }

    public long First { get; }

    public long Max { get; private set; }

    public long Last { get; private set; }

    public static async Task<RowCountSampler> Start(Func<Task<long>> count, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(count);
        return new RowCountSampler(count, await count(), interval);
    }

    public async Task Stop()
    {
        await stop.CancelAsync();
        await loop;
        stop.Dispose();
        Last = await count();
        Max = Math.Max(Max, Last);
    }
}
