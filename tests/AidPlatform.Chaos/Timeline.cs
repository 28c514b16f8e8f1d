using System.Diagnostics;
using AidPlatform.Testing;

namespace AidPlatform.Chaos;

/// <summary>The faults, one every few seconds while the load runs, each followed by its restart.</summary>
public sealed class Timeline(Infrastructure infrastructure, Platform services, LoadDriver load, ChaosOptions options, Stopwatch clock)
{
    /// <summary>When the last restarted part was back.</summary>
    public TimeSpan LastRestart { get; private set; }

    /// <summary>When the broker was back after the long outage.</summary>
    public TimeSpan BrokerBack { get; private set; }

    /// <summary>The most events waiting to reach reporting during and after the outage, and how long after the broker was back they were down to the steady level.</summary>
    public Task<(long Peak, TimeSpan? DrainedAfter)> Backlog { get; private set; } = Task.FromResult((0L, (TimeSpan?)null));

    public async Task Run()
    {
        var spacing = TimeSpan.FromSeconds(options.FaultSpacingSeconds);

        await At(spacing * 1);
        await Fault("RabbitMQ SIGKILL", infrastructure.KillBroker);
        await Task.Delay(TimeSpan.FromSeconds(3));
        await Restart("RabbitMQ", infrastructure.StartBroker);

        await At(spacing * 2);
        await Fault("reporting SIGKILL", () => services.Stop("reporting", graceful: false));
        await Task.Delay(TimeSpan.FromSeconds(2));
        await Restart("reporting", () => services.Start("reporting"));

        await At(spacing * 3);
        await Fault("PostgreSQL immediate shutdown", infrastructure.StopDatabaseImmediately);
        await Task.Delay(TimeSpan.FromSeconds(5));
        await Restart("PostgreSQL", infrastructure.StartDatabase);

        await At(spacing * 4);
        await Fault($"RabbitMQ SIGKILL, down for {options.OutageSeconds} s", infrastructure.KillBroker);
        load.InOutage = true;
        var outageEnd = new TaskCompletionSource();
        Backlog = WatchBacklog(outageEnd.Task);
        await Task.Delay(TimeSpan.FromSeconds(options.OutageSeconds));
        load.InOutage = false;
        await Restart("RabbitMQ", infrastructure.StartBroker);
        BrokerBack = clock.Elapsed;
        outageEnd.SetResult();

        await At(BrokerBack + spacing);
        var exit = 0;
        await Fault("disbursement SIGTERM", async () => exit = await services.Stop("disbursement", graceful: true));
        Console.WriteLine($"  disbursement exited {exit} after SIGTERM with requests in flight");
        await Restart("disbursement", () => services.Start("disbursement"));
    }

    /// <summary>
    /// Events held back by the outage: ledger rows reporting has not projected yet (in the outbox, the queue
    /// or the consumer). Drained when, with the broker back, fewer than 1,000 wait (the load goes on).
    /// </summary>
    private async Task<(long Peak, TimeSpan? DrainedAfter)> WatchBacklog(Task brokerBack)
    {
        var peak = 0L;
        var deadline = clock.Elapsed + TimeSpan.FromMinutes(20);
        while (clock.Elapsed < deadline)
        {
            try
            {
                // Written but not yet in reporting: still in the outbox, in the queue or in the consumer.
                var waiting = await infrastructure.Query<long>("select (select count(*) from disbursement.disbursements) - (select count(*) from reporting.transactions)");
                peak = Math.Max(peak, waiting);
                if (brokerBack.IsCompleted && waiting < 1_000 && clock.Elapsed > BrokerBack)
                {
                    return (peak, clock.Elapsed - BrokerBack);
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // The database is restarting: sample again.
            }

            await Task.Delay(500);
        }

        return (peak, null);
    }

    private async Task At(TimeSpan when)
    {
        if (when > clock.Elapsed)
        {
            await Task.Delay(when - clock.Elapsed);
        }
    }

    private async Task Fault(string what, Func<Task> act)
    {
        Console.WriteLine($"  {clock.Elapsed.TotalSeconds,5:F0} s  fault: {what} ({load.Acknowledged.Count:N0} rows acknowledged so far)");
        await act();
    }

    private async Task Restart(string what, Func<Task> act)
    {
        await act();
        LastRestart = clock.Elapsed;
        Console.WriteLine($"  {clock.Elapsed.TotalSeconds,5:F0} s  {what} back");
    }
}
