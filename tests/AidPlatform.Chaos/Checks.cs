using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using AidPlatform.Testing;
using Dapper;

namespace AidPlatform.Chaos;

/// <summary>Waits for the system to drain, then compares what was acknowledged, the ledger and the reports, printing each figure.</summary>
public static class Checks
{
    private static readonly string[] Schemas = ["registry", "disbursement", "reporting"];

    /// <summary>Until every outbox and queue is empty and reporting holds as many transactions as the ledger.</summary>
    public static async Task<TimeSpan> WaitForDrain(Infrastructure infrastructure, LoadDriver load, Stopwatch clock)
    {
        var deadline = clock.Elapsed + TimeSpan.FromMinutes(15);
        var last = "";
        while (clock.Elapsed < deadline)
        {
            try
            {
                // The database first: rabbitmqctl starts an Erlang VM each time, too heavy to poll with.
                var pending = await PendingOutbox(infrastructure);
                var ledger = await infrastructure.Query<long>("select count(*) from disbursement.disbursements");
                var projected = await infrastructure.Query<long>("select count(*) from reporting.transactions");
                var queued = pending.Values.Sum() == 0 && ledger == projected
                    ? (await infrastructure.Queues()).Where(q => !q.Key.EndsWith("_error", StringComparison.Ordinal)).Sum(q => q.Value)
                    : -1;
                if (queued == 0)
                {
                    Console.WriteLine($"drained at {clock.Elapsed.TotalSeconds:F1} s");
                    return clock.Elapsed;
                }

                last = $"outbox {pending.Values.Sum()}, queued {queued}, ledger {ledger}, projected {projected}";
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                last = e.Message;
            }

            await Task.Delay(500);
        }

        throw new TimeoutException($"The system did not drain within 15 minutes: {last} ({load.Acknowledged.Count} acknowledged).");
    }

    public static async Task<bool> Verify(Infrastructure infrastructure, Platform services, LoadDriver load, string runId)
    {
        var ok = true;
        void Figure(string line, bool holds)
        {
            Console.WriteLine($"{(holds ? "ok  " : "FAIL")} {line}");
            ok &= holds;
        }

        await using var db = infrastructure.Connect();
        var ledger = (await db.QueryAsync<(string Reference, Guid Id)>("select reference, id from disbursement.disbursements"))
            .ToDictionary(r => r.Reference, r => r.Id);
        var missing = load.Acknowledged.Count(a => !ledger.TryGetValue(a.Key, out var id) || id != a.Value);
        Figure($"acknowledged rows: {load.Acknowledged.Count:N0}; in the ledger with the id the answer gave: {load.Acknowledged.Count - missing:N0}; missing: {missing:N0}", missing == 0);
        Figure($"attempted rows that reached the ledger without an answer (a retry then met the reference): {load.ConfirmedByConflict.Count:N0} requests", true);
        var foreign = ledger.Keys.Count(r => !r.StartsWith(runId, StringComparison.Ordinal));
        var unacknowledged = ledger.Count - load.Acknowledged.Count;
        // A row written by an attempt whose answer was lost is in the ledger unacknowledged: allowed, and counted once.
        Figure($"ledger rows: {ledger.Count:N0}; of them not from this run: {foreign:N0}; written but never acknowledged: {unacknowledged:N0}", foreign == 0);

        var duplicates = await db.QuerySingleAsync<long>("select count(*) - count(distinct (ngo_id, reference)) from disbursement.disbursements");
        Figure($"duplicated ledger rows (same NGO and reference): {duplicates:N0}", duplicates == 0);
        var (onlyLedger, onlyReporting, reportingDuplicates) = await db.QuerySingleAsync<(long, long, long)>("""
            select (select count(*) from disbursement.disbursements d where not exists (select 1 from reporting.transactions t where t.id = d.id)),
                   (select count(*) from reporting.transactions t where not exists (select 1 from disbursement.disbursements d where d.id = t.id)),
                   (select count(*) - count(distinct id) from reporting.transactions)
            """);
        Figure($"projected transactions missing: {onlyLedger:N0}; projected but not in the ledger: {onlyReporting:N0}; projected twice: {reportingDuplicates:N0}",
            onlyLedger == 0 && onlyReporting == 0 && reportingDuplicates == 0);
        var cellsOff = await db.QuerySingleAsync<long>("""
            select count(*) from (
                select t.id from reporting.transactions t join reporting.cells c on c.transaction_id = t.id
                group by t.id, t.amount_usd having sum(c.amount_usd) <> t.amount_usd) off
            """);
        Figure($"transactions whose province x sector cells do not sum to their amount (a cell counted twice or lost): {cellsOff:N0}", cellsOff == 0);

        var ledgerByNgo = (await db.QueryAsync<(Guid NgoId, long Count, decimal Usd)>(
            "select ngo_id, count(*), sum(amount_usd) from disbursement.disbursements group by ngo_id")).ToDictionary(r => r.NgoId);
        var breakdown = await services.Reporting.Client.GetFromJsonAsync<JsonElement>("/api/v1/reports/breakdown?by=ngo");
        var reported = breakdown.GetProperty("rows").EnumerateArray().ToDictionary(
            r => Guid.Parse(r.GetProperty("key").GetString()!),
            r => (Count: r.GetProperty("transactionCount").GetInt64(),
                  Usd: r.GetProperty("committedUsd").GetDecimal() + r.GetProperty("disbursedUsd").GetDecimal() + r.GetProperty("expenditureUsd").GetDecimal()));
        Figure($"NGOs in the ledger: {ledgerByNgo.Count}; in reporting: {reported.Count}", ledgerByNgo.Count == reported.Count && ledgerByNgo.Count >= 5);
        foreach (var (ngo, row) in ledgerByNgo.OrderBy(n => n.Key))
        {
            var report = reported.GetValueOrDefault(ngo);
            Figure($"NGO {ngo}: ledger {row.Count:N0} rows US${row.Usd:N2}; reporting {report.Count:N0} rows US${report.Usd:N2}", report == (row.Count, row.Usd));
        }

        foreach (var (schema, pending) in await PendingOutbox(infrastructure))
        {
            Figure($"{schema} outbox rows not yet published: {pending:N0}", pending == 0);
        }

        var queues = await infrastructure.Queues();
        var waiting = queues.Where(q => !q.Key.EndsWith("_error", StringComparison.Ordinal)).Sum(q => q.Value);
        var errors = queues.Where(q => q.Key.EndsWith("_error", StringComparison.Ordinal)).Sum(q => q.Value);
        Figure($"messages waiting in the {queues.Count} queues: {waiting:N0}; in error queues: {errors:N0}", waiting == 0 && errors == 0);
        return ok;
    }

    private static async Task<Dictionary<string, long>> PendingOutbox(Infrastructure infrastructure)
    {
        await using var db = infrastructure.Connect();
        var pending = new Dictionary<string, long>();
        foreach (var schema in Schemas)
        {
            pending[schema] = await db.QuerySingleAsync<long>($"select count(*) from {schema}.outbox_messages");
        }

        return pending;
    }
}
