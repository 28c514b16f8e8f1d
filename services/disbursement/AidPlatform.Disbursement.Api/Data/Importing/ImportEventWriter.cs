using AidPlatform.Contracts.Disbursement;
using AidPlatform.Disbursement.Api.Domain;
using AidPlatform.Disbursement.Api.Messaging;
using AidPlatform.ServiceDefaults.Messaging;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace AidPlatform.Disbursement.Api.Data.Importing;

/// <summary>
/// Writes a succeeded import's events (<see cref="DisbursementsImported"/> parts) from its committed rows, so the
/// import's own transaction holds only the rows and its clock stops when they are in. A run of parts and how far
/// the writer got commit together: a crash or a restart resumes after the last part written, never twice, and a
/// second instance skips the import while one is writing it.
/// </summary>
internal sealed partial class ImportEventWriter(NpgsqlDataSource dataSource, ILogger<ImportEventWriter> logger) : BackgroundService
{
    /// <summary>Parts per transaction: enough to amortise the commit, few enough that a restart redoes little.</summary>
    internal const int PartsPerRun = 20;

    private const string Next = """
        select import_id, event_parts, parts_written, events_after
        from import_progress
        where status = 'succeeded' and parts_written < event_parts
        order by updated_at
        limit 1
        for update skip locked
        """;

    // The walk starts after the last row written and goes on in id order, on the import's own index.
    private const string Rows = """
        select id, ngo_id, project_id, type, amount, currency, amount_usd, fx_rate, fx_rate_month, value_date,
               province_code, current_province_code, reference, recorded_at
        from disbursements
        where id > @after and import_id = @import
        order by id
        limit @limit
        """;

    private const string Advance = """
        update import_progress set parts_written = parts_written + @parts, events_after = @after
        where import_id = @import
        """;

    private const string CopyParts = "copy outbox_messages (id, message_type, payload) from stdin (format binary)";

    private static readonly string ImportedType = Outbox.TypeName(typeof(DisbursementsImported));

    private readonly ImportSignal signal = new();

    /// <summary>Called when an import commits: its events go out now rather than at the next poll.</summary>
    public void Wake() => signal.Wake();

    /// <summary>
    /// A bound below every row id of an import that starts at <paramref name="at"/>: a version 7 id a minute
    /// earlier with nothing after its time, so a clock that steps back a little still leaves no row behind it.
    /// </summary>
    public static Guid LowerBound(DateTimeOffset at)
    {
        var milliseconds = at.AddMinutes(-1).ToUnixTimeMilliseconds();
        Span<byte> bytes = stackalloc byte[16];
        for (var i = 5; i >= 0; i--, milliseconds >>= 8)
        {
            bytes[i] = (byte)milliseconds;
        }

        bytes[6] = 0x70;
        return new Guid(bytes, bigEndian: true);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await WriteRun(stoppingToken))
                {
                    await signal.WaitAsync(TimeSpan.FromSeconds(5), stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or IOException)
            {
                // Transient: the run was rolled back and the import stays where it was; try again shortly.
                LogRetry(e);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }

    /// <summary>
    /// Writes the next run of at most <paramref name="parts"/> parts of the oldest import whose events are not all
    /// out, in one transaction; false when no import waits.
    /// </summary>
    internal async Task<bool> WriteRun(CancellationToken cancellationToken, int parts = PartsPerRun)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var job = await connection.QuerySingleOrDefaultAsync<(Guid ImportId, int EventParts, int PartsWritten, Guid EventsAfter)?>(Next, transaction: transaction);
        if (job is not { } import)
        {
            return false;
        }

        var rows = new List<(LedgerRow Row, DateTimeOffset RecordedAt)>(parts * ImportWorker.PartSize);
        await using (var command = new NpgsqlCommand(Rows, connection, transaction))
        {
            command.Parameters.AddWithValue("after", import.EventsAfter);
            command.Parameters.AddWithValue("import", import.ImportId);
            command.Parameters.AddWithValue("limit", parts * ImportWorker.PartSize);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add((Read(reader), reader.GetFieldValue<DateTimeOffset>(13)));
            }
        }

        if (rows.Count == 0)
        {
            // The ledger is append-only, so this cannot happen unless rows were removed behind the service's back:
            // say so loudly and stop waiting for rows that will not come.
            LogMissing(import.ImportId, import.EventParts - import.PartsWritten);
            await connection.ExecuteAsync("update import_progress set event_parts = parts_written where import_id = @ImportId", new { import.ImportId }, transaction);
            await transaction.CommitAsync(cancellationToken);
            return true;
        }

        var written = await WriteParts(connection, import.ImportId, import.EventParts, import.PartsWritten, rows, cancellationToken);
        await connection.ExecuteAsync(Advance, new { parts = written, after = rows[^1].Row.Id, import = import.ImportId }, transaction);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// The rows' events as parts of <see cref="ImportWorker.PartSize"/>, numbered on from <paramref name="partsBefore"/>:
    /// each part is the import's frame (<see cref="LedgerEvents.Imported"/>) with its id and number and its rows' events.
    /// </summary>
    private static async Task<int> WriteParts(NpgsqlConnection connection, Guid importId, int parts, int partsBefore,
        List<(LedgerRow Row, DateTimeOffset RecordedAt)> rows, CancellationToken cancellationToken)
    {
        var frame = LedgerEvents.Imported(importId, parts, rows[0].RecordedAt);
        await using var copy = await connection.BeginBinaryImportAsync(CopyParts, cancellationToken);
        var part = partsBefore;
        foreach (var chunk in rows.Chunk(ImportWorker.PartSize))
        {
            var id = Guid.NewGuid();
            var entries = chunk.Select(r => Outbox.Payload(LedgerEvents.Recorded(r.Row, r.RecordedAt)));
            await copy.StartRowAsync(cancellationToken);
            await copy.WriteAsync(id, NpgsqlDbType.Uuid, cancellationToken);
            await copy.WriteAsync(ImportedType, NpgsqlDbType.Text, cancellationToken);
            await copy.WriteAsync(WithEntries(Outbox.Payload(frame with { EventId = id, Part = ++part }), entries), NpgsqlDbType.Json, cancellationToken);
        }

        await copy.CompleteAsync(cancellationToken);
        return part - partsBefore;
    }

    /// <summary>
    /// Puts the entries, each already the JSON of its event, into the frame's empty <c>entries</c> array, its
    /// last property: splicing spares parsing and writing a million events again.
    /// </summary>
    private static string WithEntries(string frame, IEnumerable<string> entries)
    {
        const string empty = "\"entries\":[]}";
        if (!frame.EndsWith(empty, StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The import frame must end with its empty entries.");
        }

        return string.Concat(frame.AsSpan(0, frame.Length - 2), string.Join(',', entries), "]}");
    }

    private static LedgerRow Read(NpgsqlDataReader reader) => new(
        reader.GetGuid(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetString(3), reader.GetDecimal(4), reader.GetString(5),
        reader.GetDecimal(6), reader.GetDecimal(7), reader.GetFieldValue<DateOnly>(8), reader.GetFieldValue<DateOnly>(9),
        reader.IsDBNull(10) ? null : reader.GetString(10), reader.IsDBNull(11) ? null : reader.GetString(11), reader.GetString(12), null);

    public override void Dispose()
    {
        signal.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Import event writer will retry after a transient failure")]
    private partial void LogRetry(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Import {Id}: {Parts} event parts have no rows left to carry; the ledger lost rows behind the service's back")]
    private partial void LogMissing(Guid id, int parts);
}
