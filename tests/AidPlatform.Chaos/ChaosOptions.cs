using System.Globalization;

namespace AidPlatform.Chaos;

/// <summary>What one run does: how many writes, how long the broker stays down.</summary>
public sealed record ChaosOptions(int Writes, int OutageSeconds, int SingleWorkers, int BatchWorkers, int BatchSize)
{
    /// <summary>The full run; <c>--writes</c> and <c>--outage</c> shorten it (CI runs 10,000 writes and a 10 s outage).</summary>
    public static ChaosOptions Parse(string[] args)
    {
        var options = new ChaosOptions(Writes: 100_000, OutageSeconds: 60, SingleWorkers: 8, BatchWorkers: 2, BatchSize: 100);
        for (var i = 0; i < args.Length; i++)
        {
            options = args[i] switch
            {
                "--writes" => options with { Writes = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                "--outage" => options with { OutageSeconds = int.Parse(args[++i], CultureInfo.InvariantCulture) },
                _ => throw new ArgumentException($"Unknown argument {args[i]}; use --writes N and --outage SECONDS."),
            };
        }

        return options.Writes < 1_000 || options.OutageSeconds < 1
            ? throw new ArgumentException("At least 1,000 writes and a 1 s outage.")
            : options;
    }

    /// <summary>Seconds between the faults: room for the system to settle before the next one.</summary>
    public int FaultSpacingSeconds => OutageSeconds >= 30 ? 15 : 7;

    /// <summary>
    /// The faults take about this long (a RabbitMQ node takes some 15 s to come back, twice); the load is paced
    /// to last as long, so that every fault meets it.
    /// </summary>
    public TimeSpan PlannedDuration => TimeSpan.FromSeconds((5 * FaultSpacingSeconds) + OutageSeconds + 40);

    /// <summary>A quarter of the rows go one by one, the rest in batches.</summary>
    public int SingleWrites => Writes / 4;
}
