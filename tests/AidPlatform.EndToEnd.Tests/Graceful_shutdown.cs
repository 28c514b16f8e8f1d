using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AidPlatform.Testing;
using Dapper;

namespace AidPlatform.EndToEnd.Tests;

/// <summary>
/// SIGTERM, as a deployment stops a service, while requests and messages are in flight: the host finishes
/// what it has started and exits 0; every write it acknowledged is in the ledger, nothing it did not
/// acknowledge is, and every event is projected once after the restart. Reporting projects in small batches
/// here, so that it still has a backlog in flight when it is stopped.
/// </summary>
[NonParallelizable]
public sealed class Graceful_shutdown() : PlatformSpecs(new PlatformOptions
{
    Settings = new Dictionary<string, string> { ["Projection__BatchSize"] = "4", ["Projection__Writers"] = "1" },
})
{
    private const int Writes = 600;

    private static readonly string[] LedgerQueues = ["reporting-disbursement-recorded", "reporting-disbursement-reversed", "reporting-disbursements-imported"];

    [Test]
    public async Task SIGTERM_finishes_requests_and_messages_in_flight_and_loses_nothing()
    {
        var registry = Platform.Registry.Client;
        var ngo = await Id(registry, "/api/v1/ngos", new { name = $"Graceful {Guid.NewGuid():N}", countryOfOrigin = "NO" });
        await Id(registry, $"/api/v1/ngos/{ngo}/registrations", new
        {
            kind = "operation", certificateNumber = $"GR-{Guid.NewGuid():N}", issuedOn = "2024-01-01", expiresOn = "2026-12-31",
            provinceCodes = new[] { "01" }, sectorCategories = new[] { "122" },
        });
        var project = await Id(registry, "/api/v1/projects", new
        {
            ngoId = ngo, title = "Graceful shutdown", status = "implementation", startDate = "2024-02-01",
            budget = new { amount = 1000m, currency = "USD" },
            sectors = new[] { new { code = "12220", percentage = 100m } },
            locations = new[] { new { provinceCode = "01", percentage = 100m } },
        });

        // The disbursement service learns the project from the registry's event; until then each request
        // would ask the registry, which is not what this test is about.
        await using var db = Platform.Connect();
        await Eventually.True(async () => await db.QuerySingleAsync<long>("select count(*) from disbursement.projects where id = @project", new { project }) == 1,
            "the disbursement service to hold the project", TimeSpan.FromMinutes(1));

        // Many writes at once; SIGTERM once a third are answered, with the rest in flight or queued.
        using var client = new HttpClient { BaseAddress = Platform.Disbursement.BaseAddress, Timeout = TimeSpan.FromSeconds(60) }.As("ministry", subject: "graceful");
        var acknowledged = new ConcurrentBag<Guid>();
        var statuses = new ConcurrentDictionary<string, int>();
        var answered = 0;
        var sigterm = new TaskCompletionSource();
        var writes = Enumerable.Range(0, Writes).Select(async i =>
        {
            try
            {
                using var response = await client.PostAsJsonAsync("/api/v1/disbursements", new
                {
                    projectId = project, amount = 1.25m, currency = "USD", valueDate = "2024-06-01", reference = $"GR-{ngo:N}-{i}",
                });
                statuses.AddOrUpdate(((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture), 1, (_, n) => n + 1);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    acknowledged.Add((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
                }
            }
            catch (HttpRequestException)
            {
                statuses.AddOrUpdate("no answer", 1, (_, n) => n + 1);
            }

            if (Interlocked.Increment(ref answered) == Writes / 3)
            {
                sigterm.SetResult();
            }
        }).ToList();
        var faultedBefore = await Faulted(LedgerQueues);
        await sigterm.Task;
        var disbursementExit = await Platform.Stop("disbursement");
        await Task.WhenAll(writes);

        // Then reporting, while it projects the backlog of those events.
        var reportingExit = await Platform.Stop("reporting");
        await Platform.Start("reporting");
        await Platform.Start("disbursement");
        // A consumer stopped before its message was written must leave it to be delivered again, not fault it.
        Assert.That(await Faulted(LedgerQueues) - faultedBefore, Is.Zero, "ledger events sent to an error queue by the shutdown");

        var ledger = (await db.QueryAsync<Guid>("select id from disbursement.disbursements where project_id = @project", new { project })).ToList();
        await Eventually.True(async () =>
        {
            var summary = await Platform.Reporting.Client.GetFromJsonAsync<JsonElement>($"/api/v1/reports/summary?ngoId={ngo}");
            return summary.GetProperty("transactionCount").GetInt64() == ledger.Count;
        }, "reporting to project every ledger row", TimeSpan.FromMinutes(2));
        var projected = await db.QuerySingleAsync<long>("select count(*) from reporting.transactions where ngo_id = @ngo", new { ngo });

        TestContext.Out.WriteLine($"answers: {string.Join(", ", statuses.Select(s => $"{s.Key} x{s.Value}"))}; ledger {ledger.Count}; projected {projected}");
        Assert.Multiple(() =>
        {
            Assert.That(disbursementExit, Is.Zero, "disbursement drained and exited cleanly");
            Assert.That(reportingExit, Is.Zero, "reporting drained and exited cleanly");
            Assert.That(statuses.Keys.Where(s => s.StartsWith('5')), Is.Empty, "no request in flight failed");
            Assert.That(acknowledged, Has.Count.GreaterThanOrEqualTo(Writes / 3));
            Assert.That(ledger, Is.EquivalentTo(acknowledged), "every acknowledged write, and only those");
            Assert.That(projected, Is.EqualTo(ledger.Count), "each event projected once");
        });
    }

    private async Task<long> Faulted(IEnumerable<string> queues)
    {
        await using var connection = await TestEnvironment.Rabbit(Platform.VirtualHost).CreateConnectionAsync();
        var faulted = 0L;
        foreach (var queue in queues)
        {
            // MassTransit creates an error queue with its first fault; a passive declare of a missing queue
            // closes its channel, hence a channel each.
            await using var probe = await connection.CreateChannelAsync();
            try
            {
                faulted += (await probe.QueueDeclarePassiveAsync($"{queue}_error")).MessageCount;
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException e) when (e.ShutdownReason?.ReplyCode == 404)
            {
            }
        }

        return faulted;
    }

    private static async Task<Guid> Id(HttpClient client, string path, object body)
    {
        using var response = await client.PostAsJsonAsync(path, body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
