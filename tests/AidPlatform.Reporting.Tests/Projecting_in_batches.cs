using System.Net.Http.Json;
using System.Text.Json;
using AidPlatform.Contracts.Disbursement;
using AidPlatform.Reporting.Api.Data;
using AidPlatform.Reporting.Api.Domain;
using AidPlatform.ServiceDefaults.Messaging;
using AidPlatform.Testing;
using Dapper;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AidPlatform.Reporting.Tests;

/// <summary>
/// The ledger's events are projected many to a transaction: duplicates within a batch count once, a
/// reversal waits for its original, and an import's part is one batch.
/// </summary>
public sealed class Projecting_in_batches : ProjectionSpecs
{
    private const string Consumer = "BatchSpec";

    [Test]
    public async Task One_batch_holding_a_message_twice_and_a_row_twice_projects_each_row_once()
    {
        var ngo = Guid.NewGuid();
        var project = Guid.NewGuid();
        await PublishProject(Project(ngo, project, 1, [("01", 100m)]));
        var (first, second) = (Row(Disbursement(ngo, project, 10.01m)), Row(Disbursement(ngo, project, 0.99m)));
        var (m1, m2, m3) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        // m1 twice in the batch; m3 carries the same ledger row as m2 under another message id.
        (Guid, string, TransactionRow)[] batch = [(m1, Consumer, first), (m1, Consumer, first), (m2, Consumer, second), (m3, Consumer, second)];

        var fresh = await Project(batch);
        var again = await Project(batch);

        Assert.That(fresh, Has.Count.EqualTo(3), "three distinct messages");
        Assert.That(again, Is.Empty, "a redelivered batch changes nothing");
        var summary = await Summary(ngo);
        Assert.That(summary.GetProperty("disbursedUsd").GetDecimal(), Is.EqualTo(11.00m));
        Assert.That(summary.GetProperty("transactionCount").GetInt64(), Is.EqualTo(2));
        Assert.That((await Rows(ngo, "province")).Single().GetProperty("disbursedUsd").GetDecimal(), Is.EqualTo(11.00m));
    }

    [Test]
    public async Task A_reversal_in_a_batch_before_its_original_goes_in_with_it()
    {
        var ngo = Guid.NewGuid();
        var project = Guid.NewGuid();
        await PublishProject(Project(ngo, project, 1, [("01", 100m)]));
        var original = Disbursement(ngo, project, 500.00m);

        await Project([(Guid.NewGuid(), Consumer, Row(Reversal(original))), (Guid.NewGuid(), Consumer, Row(original))]);

        var summary = await Summary(ngo);
        Assert.That(summary.GetProperty("disbursedUsd").GetDecimal(), Is.Zero);
        Assert.That(summary.GetProperty("transactionCount").GetInt64(), Is.EqualTo(2));
        Assert.That(await HeldFor(original.DisbursementId), Is.Zero);
    }

    [Test]
    public async Task A_reversal_arriving_before_its_original_is_held_out_of_every_report_until_the_original_arrives()
    {
        var ngo = Guid.NewGuid();
        var project = Guid.NewGuid();
        await PublishProject(Project(ngo, project, 1, [("01", 100m)]));
        await Publish(Disbursement(ngo, project, 10.00m));
        await WaitForTotal(ngo, 10.00m);
        var original = Disbursement(ngo, project, 500.00m);

        await Publish(Reversal(original));
        await Eventually.True(async () => await HeldFor(original.DisbursementId) == 1, "the reversal to be held");
        var meanwhile = await Summary(ngo);
        await Publish(original);
        await Eventually.True(async () => (await Summary(ngo)).GetProperty("transactionCount").GetInt64() == 3, "the original and its reversal to go in");

        Assert.That(meanwhile.GetProperty("disbursedUsd").GetDecimal(), Is.EqualTo(10.00m), "not 10.00 - 500.00");
        Assert.That(meanwhile.GetProperty("transactionCount").GetInt64(), Is.EqualTo(1));
        Assert.That((await Summary(ngo)).GetProperty("disbursedUsd").GetDecimal(), Is.EqualTo(10.00m));
        Assert.That(await HeldFor(original.DisbursementId), Is.Zero);
        Assert.That((await Rows(ngo, "province")).Single().GetProperty("disbursedUsd").GetDecimal(), Is.EqualTo(10.00m));
    }

    [Test]
    public async Task While_reversals_race_their_originals_no_reader_sees_a_total_below_zero_or_a_count_go_down()
    {
        var ngo = Guid.NewGuid();
        var project = Guid.NewGuid();
        await PublishProject(Project(ngo, project, 1, [("01", 60m), ("79", 40m)]));
        var originals = Enumerable.Range(0, 300).Select(i => Disbursement(ngo, project, 1000.00m + i)).ToList();
        var keepers = Enumerable.Range(0, 300).Select(_ => Disbursement(ngo, project, 0.01m)).ToList();
        var reads = new List<(decimal Total, long Count)>();
        using var stop = new CancellationTokenSource();
        var reader = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var s = await Summary(ngo);
                reads.Add((s.GetProperty("disbursedUsd").GetDecimal(), s.GetProperty("transactionCount").GetInt64()));
            }
        });

        // The worst order: every reversal first, then originals and small keepers interleaved, all at once.
        await Task.WhenAll(originals.Select(o => Publish(Reversal(o))));
        await Task.WhenAll(originals.Zip(keepers).SelectMany(p => new[] { Publish(p.First), Publish(p.Second) }));
        await Eventually.True(async () => (await Summary(ngo)).GetProperty("transactionCount").GetInt64() == 900, "all 900 rows to be projected", TimeSpan.FromSeconds(60));
        await stop.CancelAsync();
        await reader;

        Assert.That((await Summary(ngo)).GetProperty("disbursedUsd").GetDecimal(), Is.EqualTo(3.00m));
        Assert.That(reads, Has.Count.GreaterThan(1));
        Assert.That(reads.Where(r => r.Total < 0), Is.Empty, "a reversal seen without its original");
        Assert.That(reads.Zip(reads.Skip(1)).Where(p => p.Second.Count < p.First.Count), Is.Empty, "a count that went down");
        foreach (var by in new[] { "province", "month", "project" })
        {
            Assert.That((await Rows(ngo, by)).Sum(r => r.GetProperty("disbursedUsd").GetDecimal()), Is.EqualTo(3.00m), by);
        }
    }

    [Test]
    public async Task An_imports_part_is_projected_in_one_go_and_once()
    {
        var ngo = Guid.NewGuid();
        var project = Guid.NewGuid();
        await PublishProject(Project(ngo, project, 1, [("01", 100m)]));
        var entries = Enumerable.Range(1, 500).Select(i => Disbursement(ngo, project, i / 100m)).ToList();
        var part = new DisbursementsImported
        {
            EventId = Guid.NewGuid(), OccurredAt = DateTimeOffset.UtcNow, ImportId = Guid.NewGuid(), Part = 1, Parts = 1, Entries = entries,
        };

        await Bus.Publish(part, (PublishContext<DisbursementsImported> c) => c.MessageId = part.EventId);
        await Bus.Publish(part, (PublishContext<DisbursementsImported> c) => c.MessageId = part.EventId);
        await Eventually.True(async () => (await Summary(ngo)).GetProperty("transactionCount").GetInt64() == 500, "the part's 500 rows");
        // A later event on the same queue shows the redelivered part had its turn.
        var probe = Guid.NewGuid();
        await PublishProject(Project(probe, Guid.NewGuid(), 1, [("01", 100m)]));
        var next = Disbursement(probe, Guid.NewGuid(), 1.00m);
        await Bus.Publish(part with { EventId = Guid.NewGuid(), Entries = [next] });
        await WaitForTotal(probe, 1.00m);

        var summary = await Summary(ngo);
        Assert.That(summary.GetProperty("transactionCount").GetInt64(), Is.EqualTo(500));
        Assert.That(summary.GetProperty("disbursedUsd").GetDecimal(), Is.EqualTo(entries.Sum(e => e.AmountUsd)));
    }

    private async Task<IReadOnlySet<(Guid MessageId, string Consumer)>> Project(IReadOnlyList<(Guid MessageId, string Consumer, TransactionRow Row)> batch)
    {
        var inbox = Factory.Services.GetRequiredService<Inbox>();
        return await inbox.OnceEach([.. batch.Select(b => (b.MessageId, b.Consumer))], async (transaction, fresh) =>
            await ProjectionStore.RecordTransactions(transaction, [.. batch.Where(b => fresh.Contains((b.MessageId, b.Consumer))).Select(b => b.Row)]),
            CancellationToken.None);
    }

    private static async Task<long> HeldFor(Guid originalId)
    {
        await using var connection = new NpgsqlConnection(TestEnvironment.ServiceConnectionString("reporting"));
        return await connection.ExecuteScalarAsync<long>("select count(*) from held_reversals where reverses_id = @originalId", new { originalId });
    }

    private static TransactionRow Row(DisbursementRecorded e) =>
        new(e.DisbursementId, e.ProjectId, e.NgoId, e.Type, e.AmountUsd, e.ValueDate, e.CurrentProvinceCode, null, e.OccurredAt);

    private static TransactionRow Row(DisbursementReversed e) =>
        new(e.DisbursementId, e.ProjectId, e.NgoId, e.Type, e.AmountUsd, e.ValueDate, e.CurrentProvinceCode, e.ReversedDisbursementId, e.OccurredAt);
}
