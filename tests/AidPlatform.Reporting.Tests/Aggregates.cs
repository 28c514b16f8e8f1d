using System.Data;
using System.Net.Http.Json;
using System.Text.Json;
using AidPlatform.Contracts.Disbursement;
using AidPlatform.Contracts.Registry;
using AidPlatform.Reporting.Api.Data;
using AidPlatform.Reporting.Api.Domain;
using AidPlatform.Testing;
using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AidPlatform.Reporting.Tests;

/// <summary>The monthly aggregates must give exactly what the cells give, for every dimension.</summary>
public sealed class Aggregates
{
    [Test]
    public async Task Give_the_same_rows_and_totals_as_the_cells_for_every_dimension()
    {
        await ProjectSomeEventsIncludingAReallocation();
        AidPlatform.ServiceDefaults.Data.DapperConfiguration.Apply();
        await using var connection = new NpgsqlConnection(TestEnvironment.ServiceConnectionString("reporting"));
        await connection.OpenAsync();
        // One snapshot for both readings, so consumers still projecting cannot make them differ.
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead);
        var cellCount = await connection.ExecuteScalarAsync<long>("select count(*) from cells", transaction: transaction);
        Assume.That(cellCount, Is.GreaterThan(0), "the projection specs leave cells to compare");
        var filter = new DynamicParameters(new ReportFilter(null, null, null, null, null, null, null));
        filter.Add("Significances", PolicyMarkers.Significances(null));

        foreach (var by in Dimensions.All)
        {
            var (cellRows, cellTotal) = ReportQueries.FromCells(by);
            var (aggregateRows, aggregateTotal) = ReportQueries.FromAggregates(by);

            var fromCells = (await connection.QueryAsync<BreakdownRow>(cellRows, filter, transaction)).ToList();
            var fromAggregates = (await connection.QueryAsync<BreakdownRow>(aggregateRows, filter, transaction)).ToList();

            Assert.That(fromAggregates, Is.EqualTo(fromCells), by);
            Assert.That(await connection.QuerySingleAsync<Amounts>(aggregateTotal, filter, transaction),
                Is.EqualTo(await connection.QuerySingleAsync<Amounts>(cellTotal, filter, transaction)), $"{by} total");
        }
    }

    private static async Task ProjectSomeEventsIncludingAReallocation()
    {
        await using var disbursement = await FakeDisbursement.Start();
        await using var factory = new ReportingFactory(disbursement);
        using var client = factory.CreateClient().As("ministry");
        var bus = factory.Services.GetRequiredService<IBus>();
        var ngo = Guid.NewGuid();
        var project = Guid.NewGuid();
        await bus.Publish(Project<ProjectRegistered>(ngo, project, 1, "01", "79"));
        for (var i = 0; i < 20; i++)
        {
            await bus.Publish(new DisbursementRecorded
            {
                EventId = Guid.NewGuid(), OccurredAt = DateTimeOffset.UtcNow, DisbursementId = Guid.NewGuid(), NgoId = ngo, ProjectId = project,
                Type = i % 2 == 0 ? "commitment" : "disbursement", Amount = 100.01m * (i + 1), Currency = "USD", AmountUsd = 100.01m * (i + 1), FxRate = 1m,
                FxRateMonth = "2024-01", ValueDate = new DateOnly(2024, 1 + i % 12, 3), Reference = Guid.NewGuid().ToString(),
            });
        }

        // Moves the project out of 01: its aggregate rows there must empty, not linger.
        await bus.Publish(Project<ProjectUpdated>(ngo, project, 2, "48", "79"));
        await Eventually.True(async () =>
        {
            var rows = (await client.GetFromJsonAsync<JsonElement>($"/api/v1/reports/breakdown?by=province&ngoId={ngo}")).GetProperty("rows").EnumerateArray();
            return rows.Select(r => r.GetProperty("key").GetString()).SequenceEqual(["48", "79"])
                && rows.Sum(r => r.GetProperty("transactionCount").GetInt64()) == 40;
        }, "20 transactions re-allocated to 48 and 79");
    }

    private static T Project<T>(Guid ngo, Guid project, int version, string first, string second)
    {
        var state = new
        {
            EventId = Guid.NewGuid(), OccurredAt = DateTimeOffset.UtcNow, ProjectId = project, Version = version, NgoId = ngo,
            Title = "Fictitious aggregate check (test)", Status = "implementation", StartDate = new DateOnly(2024, 1, 1), BudgetAmount = 1000m, BudgetCurrency = "USD",
            Sectors = new[] { new ProjectSector { Code = "12220", CategoryCode = "122", Percentage = 100m } },
            Locations = new[]
            {
                new ProjectLocation { ProvinceCode = first, CurrentProvinceCode = first, Percentage = 50m },
                new ProjectLocation { ProvinceCode = second, CurrentProvinceCode = second, Percentage = 50m },
            },
            PolicyMarkers = new[] { new ProjectPolicyMarker { Code = "1", Significance = 2 }, new ProjectPolicyMarker { Code = "10", Significance = 1 } },
        };
        return JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(state))!;
    }
}
