using AidPlatform.Reference;
using AidPlatform.Benchmarks.Infrastructure;
using AidPlatform.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Npgsql;
using NpgsqlTypes;

namespace AidPlatform.Benchmarks.Scenarios;

/// <summary>
/// Scenario 2: POST /disbursements at a fixed concurrency, against a minimal endpoint hosted in this
/// process that does one plain INSERT through a pooled NpgsqlDataSource into a twin of the ledger table.
/// Both are driven by the same load generator for the same time, in alternating rounds so that a load
/// from elsewhere on a shared machine falls on both alike. Target: ratio >= 0.4.
/// </summary>
internal sealed class SinglePostScenario(BenchEnvironment environment, Figures figures)
{
    public const int Concurrency = 16;
    private const int Rounds = 3;
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Round = TimeSpan.FromSeconds(4);

    public async Task Run()
    {
        var disbursement = await environment.Start("disbursement");
        var baselineRounds = new List<LoadResult>();
        var baselineCpu = TimeSpan.Zero;
        var serviceCpu = TimeSpan.Zero;
        var serviceRounds = new List<LoadResult>();
        CpuProfile baselineProfile = CpuProfile.Zero, serviceProfile = CpuProfile.Zero;
        try
        {
            using var serviceClient = Load.Client(disbursement.BaseAddress, Concurrency);
            var serviceData = new LedgerData(environment.Projects, 2);
            await using var baseline = await BaselineEndpoint.Start(environment);
            using var baselineClient = Load.Client(baseline.BaseAddress, Concurrency);
            var baselineData = new LedgerData(environment.Projects, 1);
            var self = Environment.ProcessId;
            for (var round = 0; round < Rounds; round++)
            {
                var warmUp = round == 0 ? WarmUp : TimeSpan.Zero;
                var before = Rss.CpuTime(self);
                var start = CpuProfile.Read(disbursement.ProcessId);
                baselineRounds.Add(await Load.PostRows(baselineClient, "/api/v1/disbursements", baselineData, Concurrency, warmUp, Round));
                var between = (Self: Rss.CpuTime(self), Service: Rss.CpuTime(disbursement.ProcessId));
                var middle = CpuProfile.Read(disbursement.ProcessId);
                serviceRounds.Add(await Load.PostRows(serviceClient, "/api/v1/disbursements", serviceData, Concurrency, warmUp, Round));
                var end = CpuProfile.Read(disbursement.ProcessId);
                // CPU per request hardly depends on what else the machine runs. The baseline's figure is this
                // whole process (endpoint and load generator), so it overstates the endpoint's cost.
                if (round == 0)
                {
                    continue; // the warm-up's CPU has no requests counted against it
                }

                baselineCpu += between.Self - before;
                serviceCpu += Rss.CpuTime(disbursement.ProcessId) - between.Service;
                baselineProfile = baselineProfile.Plus(middle.Minus(start));
                serviceProfile = serviceProfile.Plus(end.Minus(middle));
                Stats.Progress($"round {round + 1}: baseline {baselineRounds[^1].RequestsPerSecond:0} req/s, service {serviceRounds[^1].RequestsPerSecond:0} req/s");
            }
        }
        finally
        {
            await environment.Stop(disbursement);
        }

        var service = LoadResult.Sum(serviceRounds);
        var baselineResult = LoadResult.Sum(baselineRounds);
        environment.MaxPostRate = service.RequestsPerSecond;
        figures.Throughput($"single_post.c{Concurrency}.requests_per_s", service.RequestsPerSecond, "req/s", baselineResult.RequestsPerSecond, atLeast: 0.4);
        figures.Latency($"single_post.c{Concurrency}.p50_ms", service.P50Ms, "ms", baselineResult.P50Ms);
        figures.Latency($"single_post.c{Concurrency}.p99_ms", service.P99Ms, "ms", baselineResult.P99Ms);
        figures.Latency($"single_post.c{Concurrency}.cpu_ms_per_request", serviceCpu.TotalMilliseconds / serviceRounds.Skip(1).Sum(r => r.Latencies.Count), "ms",
            baselineCpu.TotalMilliseconds / baselineRounds.Skip(1).Sum(r => r.Latencies.Count));

        // Where the time goes: the whole machine's CPU per request, by who spent it (the warm-up round left out).
        // The load window includes requests still in flight at its end, so the split is what counts, not the last digit.
        var serviceSplit = serviceProfile.MillisecondsPer(serviceRounds.Skip(1).Sum(r => r.Latencies.Count));
        var baselineSplit = baselineProfile.MillisecondsPer(baselineRounds.Skip(1).Sum(r => r.Latencies.Count));
        for (var i = 0; i < CpuProfile.Parts.Length; i++)
        {
            figures.Latency($"single_post.c{Concurrency}.cpu_profile.{CpuProfile.Parts[i]}_ms_per_request", serviceSplit[i], "ms", baselineSplit[i]);
        }

        figures.Latency($"single_post.c{Concurrency}.cpu_profile.total_ms_per_request", serviceSplit.Sum(), "ms", baselineSplit.Sum());
    }

    /// <summary>Measures the single-POST rate alone (for scenario 3 when scenario 2 did not run).</summary>
    public static async Task<double> ServiceRate(BenchEnvironment environment)
    {
        var disbursement = await environment.Start("disbursement");
        try
        {
            using var client = Load.Client(disbursement.BaseAddress, Concurrency);
            var result = await Load.PostRows(client, "/api/v1/disbursements", new LedgerData(environment.Projects, 3), Concurrency, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(5));
            return result.RequestsPerSecond;
        }
        finally
        {
            await environment.Stop(disbursement);
        }
    }
}

/// <summary>The baseline: a minimal endpoint in this process doing one plain INSERT into a twin of the ledger table.</summary>
internal sealed class BaselineEndpoint : IAsyncDisposable
{
    private readonly FakeService service;
    private readonly NpgsqlDataSource dataSource;

    private BaselineEndpoint(FakeService service, NpgsqlDataSource dataSource)
    {
        this.service = service;
        this.dataSource = dataSource;
    }

    public Uri BaseAddress => new(service.BaseAddress);

    public sealed record Body(Guid ProjectId, string? Type, decimal Amount, string Currency, DateOnly ValueDate, string? ProvinceCode, string Reference, string? Description);

    public static async Task<BaselineEndpoint> Start(BenchEnvironment environment)
    {
        await Rates.CreateLedgerTwin(environment.Admin, "single_posts");
        var rates = await Rates.Load(environment.Admin);
        var ngos = environment.Projects.ToDictionary(p => p.Id, p => p.NgoId);
        var dataSource = NpgsqlDataSource.Create(TestEnvironment.AdminConnectionString(BenchEnvironment.Database) + ";Pooling=true");

        // A slim Kestrel host with this one route, silent in the log: nothing but the INSERT to measure.
        var service = await FakeService.Start(app => app.MapPost("/api/v1/disbursements", async (Body body) =>
        {
            const string insert = $"""
                insert into bench.single_posts ({Rates.CopyColumns})
                values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
                """;
            var id = Guid.CreateVersion7();
            var (units, month) = rates.Rate(body.Currency, body.ValueDate);
            await using var command = dataSource.CreateCommand(insert);
            command.Parameters.Add(new() { Value = id, NpgsqlDbType = NpgsqlDbType.Uuid });
            command.Parameters.Add(new() { Value = ngos[body.ProjectId], NpgsqlDbType = NpgsqlDbType.Uuid });
            command.Parameters.Add(new() { Value = body.ProjectId, NpgsqlDbType = NpgsqlDbType.Uuid });
            command.Parameters.Add(new() { Value = body.Type ?? "disbursement", NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new() { Value = body.Amount, NpgsqlDbType = NpgsqlDbType.Numeric });
            command.Parameters.Add(new() { Value = body.Currency, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new() { Value = UsdConversion.ToUsd(body.Amount, units), NpgsqlDbType = NpgsqlDbType.Numeric });
            command.Parameters.Add(new() { Value = units, NpgsqlDbType = NpgsqlDbType.Numeric });
            command.Parameters.Add(new() { Value = month, NpgsqlDbType = NpgsqlDbType.Date });
            command.Parameters.Add(new() { Value = body.ValueDate, NpgsqlDbType = NpgsqlDbType.Date });
            command.Parameters.Add(new() { Value = (object?)body.ProvinceCode ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new() { Value = (object?)body.ProvinceCode ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new() { Value = body.Reference, NpgsqlDbType = NpgsqlDbType.Text });
            command.Parameters.Add(new() { Value = (object?)body.Description ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            await command.ExecuteNonQueryAsync();
            return Results.Created($"/api/v1/disbursements/{id}", new { id });
        }));
        return new BaselineEndpoint(service, dataSource);
    }

    public async ValueTask DisposeAsync()
    {
        await service.DisposeAsync();
        await dataSource.DisposeAsync();
    }
}
