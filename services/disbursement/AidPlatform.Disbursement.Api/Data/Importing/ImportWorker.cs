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
/// Rows are validated as they stream in and copied in binary straight into the ledger, each naming its import;
/// their events go out in parts (<see cref="DisbursementsImported"/>) that <see cref="ImportEventWriter"/> writes
/// from the committed rows. Memory stays flat.
/// </summary>
internal sealed partial class ImportWorker(
    NpgsqlDataSource dataSource, LedgerReferences references, ImportJobs jobs, RateCoverageStore coverage, ImportSignal signal, ImportEventWriter events,
    IOptions<ImportOptions> options, ILogger<ImportWorker> logger)
    : BackgroundService
{
    // Validated rows go straight into the ledger, in file order: the unique index on (ngo_id, reference) refuses
    // a reference used twice, and only then is the file read again to name every clash.
    private const string CopyRows = """
        copy disbursements (id, ngo_id, project_id, type, amount, currency, amount_usd, fx_rate, fx_rate_month, value_date,
                            province_code, current_province_code, reference, description, import_id)
        from stdin (format binary)
        """;

    private const string ReferencesTable = "create temp table import_references (row_number bigint, ngo_id uuid, reference text) on commit drop";

    private const string CopyReferences = "copy import_references (row_number, ngo_id, reference) from stdin (format binary)";

    // References are unique per NGO: within the file and against the ledger.
    private const string Duplicates = """
        select row_number as row, 'reference' as field, 'reference ' || reference || ' is used more than once in the file.' as message
        from (select row_number, reference, count(*) over (partition by ngo_id, reference) as n from import_references) x where n > 1
        union all
        select s.row_number, 'reference', 'reference ' || s.reference || ' is already used by the NGO.'
        from import_references s join disbursements d on d.ngo_id = s.ngo_id and d.reference = s.reference
        order by 1
        limit @max
        """;

    /// <summary>Rows per <see cref="DisbursementsImported"/> event: about 200 KB of JSON each.</summary>
    internal const int PartSize = 500;

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
        var startedAt = DateTimeOffset.UtcNow;
        var outcome = await Import(transaction, job.FilePath, job.Id, job.PartnerNgo, cancellationToken);
        if (outcome.Errors.Count > 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            await jobs.Progress(job.Id, "failed", outcome.Rows, 0, outcome.Errors);
            LogFailed(job.Id, outcome.Rows, outcome.Errors.Count);
            if (outcome.Misses is { } misses)
            {
                await coverage.Record(misses, cancellationToken);
            }
        }
        else
        {
            await ImportJobs.Succeed(transaction, job.Id, outcome.Rows, (int)((outcome.Rows + PartSize - 1) / PartSize), ImportEventWriter.LowerBound(startedAt));
            await transaction.CommitAsync(cancellationToken);
            events.Wake();
            LogSucceeded(job.Id, outcome.Rows);
        }

        File.Delete(job.FilePath);
        return true;
    }

    /// <summary>The rows read, their faults, and the currency-months refused rows lacked a rate for.</summary>
    private sealed record Outcome(long Rows, List<ImportError> Errors, RateMisses? Misses = null);

    private async Task<Outcome> Import(NpgsqlTransaction transaction, string path, Guid importId, Guid? partnerNgo, CancellationToken cancellationToken)
    {
        var connection = transaction.Connection!;
        if (!File.Exists(path))
        {
            return new Outcome(0, [new(0, "file", "The uploaded file is gone; upload it again.")]);
        }

        var projects = references.Projects();
        var reference = await references.Load(partnerNgo, projects, cancellationToken);
        await transaction.SaveAsync("rows", cancellationToken);
        Outcome read;
        await using (var copy = await connection.BeginBinaryImportAsync(CopyRows, cancellationToken))
        {
            read = await Read(path, importId, reference, projects, (_, row) => WriteRow(copy, row, importId, cancellationToken), cancellationToken);
            if (read.Errors.Count > 0)
            {
                return read; // The COPY is abandoned and the caller rolls back.
            }

            try
            {
                await copy.CompleteAsync(cancellationToken);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                await transaction.RollbackAsync("rows", cancellationToken);
                return new Outcome(read.Rows, await FindDuplicates(transaction, path, importId, reference, projects, cancellationToken));
            }
        }

        return read;
    }

    /// <summary>
    /// Reads the file, validating each row, and hands every valid row to <paramref name="accept"/> while no row has
    /// failed. Stops collecting faults at the configured maximum; progress every 20,000 rows.
    /// </summary>
    private async Task<Outcome> Read(string path, Guid importId, LedgerReference reference, ProjectResolver projects,
        Func<long, LedgerRow, Task> accept, CancellationToken cancellationToken)
    {
        var errors = new List<ImportError>();
        var doubted = new HashSet<Guid>();
        var misses = new RateMisses();
        var max = options.Value.MaxErrors;
        long rows = 0;
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { BadDataFound = null, MissingFieldFound = null, DetectColumnCountChanges = false });
        if (!await csv.ReadAsync() || !csv.ReadHeader() || CsvImport.ColumnsOf(csv.HeaderRecord) is not { } columns)
        {
            return new Outcome(0, [new(0, "header", $"The first line must be the header {CsvImport.Header}.")]);
        }

        while (await csv.ReadAsync())
        {
            rows++;
            var faults = new ValidationErrors();
            var request = CsvImport.Read(csv, columns, faults);
            if (request.ProjectId is { } projectId && reference.Project(projectId) is null)
            {
                await projects.Resolve([projectId], cancellationToken);
            }

            var row = faults.Any ? null : LedgerRules.Validate(request, reference, faults, "", doubted);
            if (doubted.Count > 0)
            {
                // The copy said no to a check against the registry: asked once per project and NGO, then judged again.
                if (await projects.Confirm(doubted, cancellationToken))
                {
                    faults = new ValidationErrors();
                    row = LedgerRules.Validate(request, reference, faults);
                }

                doubted.Clear();
            }
            if (faults.Any)
            {
                errors.AddRange(faults.Entries.Take(max - errors.Count).Select(f => new ImportError(rows, f.Field, f.Message)));
                misses.Add(request, reference);
            }

            if (row is not null && errors.Count == 0)
            {
                await accept(rows, row);
            }

            if (rows % 20_000 == 0)
            {
                await jobs.Progress(importId, "running", 0, rows, null);
            }
        }

        if (rows == 0 && errors.Count == 0)
        {
            errors.Add(new(0, "file", "The file has a header but no rows."));
        }

        return new Outcome(rows, errors, misses);
    }

    /// <summary>The second reading of a file whose references clashed: every clash by row, within the file and with the ledger.</summary>
    private async Task<List<ImportError>> FindDuplicates(NpgsqlTransaction transaction, string path, Guid importId, LedgerReference reference,
        ProjectResolver projects, CancellationToken cancellationToken)
    {
        var connection = transaction.Connection!;
        await connection.ExecuteAsync(ReferencesTable, transaction: transaction);
        await using (var copy = await connection.BeginBinaryImportAsync(CopyReferences, cancellationToken))
        {
            await Read(path, importId, reference, projects, async (number, row) =>
            {
                await copy.StartRowAsync(cancellationToken);
                await copy.WriteAsync(number, NpgsqlDbType.Bigint, cancellationToken);
                await copy.WriteAsync(row.NgoId, NpgsqlDbType.Uuid, cancellationToken);
                await copy.WriteAsync(row.Reference, NpgsqlDbType.Text, cancellationToken);
            }, cancellationToken);
            await copy.CompleteAsync(cancellationToken);
        }

        return (await connection.QueryAsync<(long Row, string Field, string Message)>(Duplicates, new { max = options.Value.MaxErrors }, transaction))
            .Select(d => new ImportError(d.Row, d.Field, d.Message)).ToList();
    }

    private static async Task WriteRow(NpgsqlBinaryImporter copy, LedgerRow row, Guid importId, CancellationToken cancellationToken)
    {
        await copy.StartRowAsync(cancellationToken);
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
        await copy.WriteAsync(importId, NpgsqlDbType.Uuid, cancellationToken);
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
