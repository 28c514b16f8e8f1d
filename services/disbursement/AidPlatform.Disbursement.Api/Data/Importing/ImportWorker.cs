using System.Globalization;
using AidPlatform.Contracts.Disbursement;
using AidPlatform.Disbursement.Api.Domain;
using AidPlatform.Disbursement.Api.Messaging;
using AidPlatform.ServiceDefaults.Errors;
using AidPlatform.ServiceDefaults.Messaging;
using AidPlatform.ServiceDefaults.Validation;
using CsvHelper;
using CsvHelper.Configuration;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace AidPlatform.Disbursement.Api.Data.Importing;

/// <summary>
/// Imports accepted CSV files one at a time, all or nothing. The job row stays locked (FOR UPDATE SKIP
/// LOCKED) for the whole import, inside the one transaction that writes it, so a second instance never
/// takes the same file, and a crash rolls everything back and leaves the job to be taken again.
/// Rows are validated as they stream in and copied in binary into a staging table, each with its event
/// serialised as the outbox would: memory stays flat. The events go out in parts (<see cref="DisbursementsImported"/>).
/// </summary>
internal sealed partial class ImportWorker(
    NpgsqlDataSource dataSource, LedgerReferences references, ImportJobs jobs, ImportSignal signal, IOptions<ImportOptions> options, ILogger<ImportWorker> logger)
    : BackgroundService
{
    private const string Staging = """
        create temp table import_rows (
            row_number bigint, id uuid, ngo_id uuid, project_id uuid, type text, amount numeric(20, 2), currency text,
            amount_usd numeric(20, 2), fx_rate numeric(20, 6), fx_rate_month date, value_date date,
            province_code text, current_province_code text, reference text, description text, payload jsonb
        ) on commit drop
        """;

    private const string Copy = """
        copy import_rows (row_number, id, ngo_id, project_id, type, amount, currency, amount_usd, fx_rate, fx_rate_month, value_date,
                          province_code, current_province_code, reference, description, payload)
        from stdin (format binary)
        """;

    // References are unique per NGO: within the file and against the ledger.
    private const string Duplicates = """
        select row_number as row, 'reference' as field, 'reference ' || reference || ' is used more than once in the file.' as message
        from (select row_number, reference, count(*) over (partition by ngo_id, reference) as n from import_rows) x where n > 1
        union all
        select s.row_number, 'reference', 'reference ' || s.reference || ' is already used by the NGO.'
        from import_rows s join disbursements d on d.ngo_id = s.ngo_id and d.reference = s.reference
        order by 1
        limit @max
        """;

    // The ledger rows, and their events in parts of PartSize: each part is the import's frame with its own
    // id and number and its rows' events, in file order.
    private const string Write = """
        insert into disbursements (id, ngo_id, project_id, type, amount, currency, amount_usd, fx_rate, fx_rate_month, value_date,
                                   province_code, current_province_code, reference, description)
        select id, ngo_id, project_id, type, amount, currency, amount_usd, fx_rate, fx_rate_month, value_date,
               province_code, current_province_code, reference, description
        from import_rows order by row_number;

        insert into outbox_messages (id, message_type, payload)
        select id, @MessageType, jsonb_set(jsonb_set(jsonb_set(@Frame::jsonb, '{eventId}', to_jsonb(id)), '{part}', to_jsonb(part)), '{entries}', entries)
        from (select gen_random_uuid() as id, part, jsonb_agg(payload order by row_number) as entries
              from (select (row_number - 1) / @PartSize + 1 as part, row_number, payload from import_rows) r
              group by part) parts
        order by part;
        """;

    /// <summary>Rows per <see cref="DisbursementsImported"/> event: about 200 KB of JSON each.</summary>
    internal const int PartSize = 500;

    private static readonly string ImportedType = Outbox.TypeName(typeof(DisbursementsImported));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await ImportNext(stoppingToken))
                {
                    await signal.WaitAsync(TimeSpan.FromSeconds(5), stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is NpgsqlException or DependencyUnavailableException or TimeoutException or IOException)
            {
                // Transient: the job was rolled back and stays claimable; try again shortly.
                LogRetry(e);
                await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            }
        }
    }

    private async Task<bool> ImportNext(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (await ImportJobs.Claim(transaction) is not { } job)
        {
            return false;
        }

        await jobs.Progress(job.Id, "running", 0, 0, null);
        var outcome = await Import(transaction, job.FilePath, job.Id, job.PartnerNgo, cancellationToken);
        if (outcome.Errors.Count > 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            await jobs.Progress(job.Id, "failed", outcome.Rows, 0, outcome.Errors);
            LogFailed(job.Id, outcome.Rows, outcome.Errors.Count);
        }
        else
        {
            await ImportJobs.Succeed(transaction, job.Id, outcome.Rows);
            await transaction.CommitAsync(cancellationToken);
            LogSucceeded(job.Id, outcome.Rows);
        }

        File.Delete(job.FilePath);
        return true;
    }

    private sealed record Outcome(long Rows, List<ImportError> Errors);

    private async Task<Outcome> Import(NpgsqlTransaction transaction, string path, Guid importId, Guid? partnerNgo, CancellationToken cancellationToken)
    {
        var connection = transaction.Connection!;
        var errors = new List<ImportError>();
        if (!File.Exists(path))
        {
            errors.Add(new(0, "file", "The uploaded file is gone; upload it again."));
            return new Outcome(0, errors);
        }

        await connection.ExecuteAsync(Staging, transaction: transaction);
        var projects = references.Projects();
        var reference = await references.Load(partnerNgo, projects, cancellationToken);
        var max = options.Value.MaxErrors;
        var occurredAt = DateTimeOffset.UtcNow;
        long rows = 0;
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { BadDataFound = null, MissingFieldFound = null, DetectColumnCountChanges = false });
        if (!await csv.ReadAsync() || !csv.ReadHeader() || !CsvImport.HasHeader(csv.HeaderRecord))
        {
            errors.Add(new(0, "header", $"The first line must be the header {CsvImport.Header}."));
            return new Outcome(0, errors);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(Copy, cancellationToken))
        {
            while (await csv.ReadAsync())
            {
                rows++;
                var faults = new ValidationErrors();
                var request = CsvImport.Read(csv, faults);
                if (request.ProjectId is { } projectId && reference.Project(projectId) is null)
                {
                    await projects.Resolve([projectId], cancellationToken);
                }

                var row = faults.Any ? null : LedgerRules.Validate(request, reference, faults);
                if (faults.Any)
                {
                    errors.AddRange(faults.Entries.Take(max - errors.Count).Select(f => new ImportError(rows, f.Field, f.Message)));
                }

                if (row is not null && errors.Count == 0)
                {
                    await Stage(copy, rows, row, Outbox.Payload(LedgerEvents.Recorded(row, occurredAt)), cancellationToken);
                }

                if (rows % 20_000 == 0)
                {
                    await jobs.Progress(importId, "running", 0, rows, null);
                }
            }

            if (errors.Count > 0)
            {
                return new Outcome(rows, errors);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        if (rows == 0)
        {
            errors.Add(new(0, "file", "The file has a header but no rows."));
            return new Outcome(0, errors);
        }

        errors.AddRange((await connection.QueryAsync<(long Row, string Field, string Message)>(Duplicates, new { max }, transaction))
            .Select(d => new ImportError(d.Row, d.Field, d.Message)));
        if (errors.Count == 0)
        {
            var parts = (int)((rows + PartSize - 1) / PartSize);
            var frame = Outbox.Payload(LedgerEvents.Imported(importId, parts, occurredAt));
            await connection.ExecuteAsync(Write, new { MessageType = ImportedType, Frame = frame, PartSize }, transaction, commandTimeout: 0);
        }

        return new Outcome(rows, errors);
    }

    private static async Task Stage(NpgsqlBinaryImporter copy, long number, LedgerRow row, string payload, CancellationToken cancellationToken)
    {
        await copy.StartRowAsync(cancellationToken);
        await copy.WriteAsync(number, NpgsqlDbType.Bigint, cancellationToken);
        await copy.WriteAsync(row.Id, NpgsqlDbType.Uuid, cancellationToken);
        await copy.WriteAsync(row.NgoId, NpgsqlDbType.Uuid, cancellationToken);
        await copy.WriteAsync(row.ProjectId, NpgsqlDbType.Uuid, cancellationToken);
        await copy.WriteAsync(row.Type, NpgsqlDbType.Text, cancellationToken);
        await copy.WriteAsync(row.Amount, NpgsqlDbType.Numeric, cancellationToken);
        await copy.WriteAsync(row.Currency, NpgsqlDbType.Text, cancellationToken);
        await copy.WriteAsync(row.AmountUsd, NpgsqlDbType.Numeric, cancellationToken);
        await copy.WriteAsync(row.FxRate, NpgsqlDbType.Numeric, cancellationToken);
        await copy.WriteAsync(row.FxRateMonth, NpgsqlDbType.Date, cancellationToken);
        await copy.WriteAsync(row.ValueDate, NpgsqlDbType.Date, cancellationToken);
        await WriteNullable(copy, row.ProvinceCode, cancellationToken);
        await WriteNullable(copy, row.CurrentProvinceCode, cancellationToken);
        await copy.WriteAsync(row.Reference, NpgsqlDbType.Text, cancellationToken);
        await WriteNullable(copy, row.Description, cancellationToken);
        await copy.WriteAsync(payload, NpgsqlDbType.Jsonb, cancellationToken);
    }

    private static Task WriteNullable(NpgsqlBinaryImporter copy, string? value, CancellationToken cancellationToken) =>
        value is null ? copy.WriteNullAsync(cancellationToken) : copy.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Import worker will retry after a transient failure")]
    private partial void LogRetry(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import {Id} failed: {Rows} rows read, {Errors} errors, nothing written")]
    private partial void LogFailed(Guid id, long rows, int errors);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import {Id} succeeded: {Rows} rows")]
    private partial void LogSucceeded(Guid id, long rows);
}
