using System.Globalization;

namespace AidPlatform.Benchmarks.Infrastructure;

/// <summary>
/// The machine's CPU time split by who spent it, from /proc: the service measured, PostgreSQL's processes,
/// RabbitMQ's, this process (the load generator, and the baseline's endpoint when it runs), and the rest of
/// the machine's busy time (other processes, and those that ended between two readings). On 2 cores, the
/// sum per request bounds the rate: where a path falls short of its baseline, this says where the time goes.
/// </summary>
internal sealed record CpuProfile(TimeSpan Service, TimeSpan Postgres, TimeSpan Rabbit, TimeSpan Load, TimeSpan Other)
{
    public static readonly string[] Parts = ["service", "postgres", "rabbitmq", "load", "other"];

    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(10);

    public TimeSpan Total => Service + Postgres + Rabbit + Load + Other;

    public static CpuProfile Read(int servicePid)
    {
        var uids = Uids("postgres", "rabbitmq");
        TimeSpan service = TimeSpan.Zero, postgres = TimeSpan.Zero, rabbit = TimeSpan.Zero, load = TimeSpan.Zero;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid) || Times(pid) is not { } times)
            {
                continue;
            }

            var (time, uid) = times;

            if (pid == servicePid) service += time;
            else if (pid == Environment.ProcessId) load += time;
            else if (uid == uids[0]) postgres += time;
            else if (uid == uids[1]) rabbit += time;
        }

        var busy = MachineBusy();
        return new CpuProfile(service, postgres, rabbit, load, busy - service - postgres - rabbit - load);
    }

    public CpuProfile Minus(CpuProfile earlier) =>
        new(Service - earlier.Service, Postgres - earlier.Postgres, Rabbit - earlier.Rabbit, Load - earlier.Load, Other - earlier.Other);

    public CpuProfile Plus(CpuProfile other) =>
        new(Service + other.Service, Postgres + other.Postgres, Rabbit + other.Rabbit, Load + other.Load, Other + other.Other);

    public double[] MillisecondsPer(long requests) =>
        [.. new[] { Service, Postgres, Rabbit, Load, Other }.Select(t => requests == 0 ? double.NaN : t.TotalMilliseconds / requests)];

    public static readonly CpuProfile Zero = new(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);

    /// <summary>A process's user and system time and its owner; null when it ended while being read.</summary>
    private static (TimeSpan Time, int Uid)? Times(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            var uid = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)).Split('\t', StringSplitOptions.RemoveEmptyEntries)[1];
            return (ticks * Tick, int.Parse(uid, CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Busy time of all cores (user, nice, system, irq, softirq, steal) from the first line of /proc/stat.</summary>
    private static TimeSpan MachineBusy()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var busy = new[] { 1, 2, 3, 6, 7, 8 }.Sum(i => long.Parse(fields[i], CultureInfo.InvariantCulture));
        return busy * Tick;
    }

    private static int[] Uids(params string[] users)
    {
        var known = File.ReadLines("/etc/passwd").Select(l => l.Split(':')).Where(f => f.Length > 2).ToDictionary(f => f[0], f => int.Parse(f[2], CultureInfo.InvariantCulture));
        return [.. users.Select(u => known.GetValueOrDefault(u, -1))];
    }
}
