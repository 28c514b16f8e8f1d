using AidPlatform.ServiceDefaults.Validation;
using System.Globalization;
using System.Text.Json;
using AidPlatform.Disbursement.Api.Clients;
using AidPlatform.Disbursement.Api.Domain;
using AidPlatform.Disbursement.Api.Endpoints;
using AidPlatform.ServiceDefaults.Errors;
using AidPlatform.ServiceDefaults.Http;
using CsvHelper;
using CsvHelper.Configuration;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace AidPlatform.Disbursement.Api.Importing;

/// <summary>
/// Imports accepted CSV files one at a time, all or nothing. The job row stays locked (FOR UPDATE SKIP
/// LOCKED) for the whole import, inside the one transaction that writes it, so a second instance never
/// takes the same file, and a crash rolls everything back and leaves the job to be taken again.
/// Rows are validated as they stream in and copied in binary into a staging table: memory stays flat.
/// </summary>
internal sealed partial class ImportWorker(
    NpgsqlDataSource dataSource, RegistryClient registry, ImportSignal signal, IOptions<ImportOptions> options, ILogger<ImportWorker> logger) : BackgroundService
{
    private const string EventType = "AidPlatform.Contracts.Disbursement.DisbursementRecorded, AidPlatform.Contracts";

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
        const string claim = """
            select i.id, i.file_path, i.partner_ngo_id
            from imports i join import_progress p on p.import_id = i.id
            where p.status in ('queued', 'running')
            order by i.created_at
            limit 1
            for update of i skip locked
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var job = await connection.QuerySingleOrDefaultAsync<(Guid Id, string FilePath, Guid? PartnerNgo)?>(claim, transaction: transaction);
        if (job is not { } claimed)
        {
            return false;
        }

        await Progress(claimed.Id, "running", 0, 0, null);
        var outcome = await Import(connection, transaction, claimed.FilePath, claimed.Id, claimed.PartnerNgo, cancellationToken);
        if (outcome.Errors.Count > 0)
        {
            await transaction.RollbackAsync(cancellationToken);
            await Progress(claimed.Id, "failed", outcome.Rows, 0, outcome.Errors);
            LogFailed(claimed.Id, outcome.Rows, outcome.Errors.Count);
        }
        else
        {
            await connection.ExecuteAsync(
                "update import_progress set status = 'succeeded', rows_total = @Rows, rows_done = @Rows, updated_at = now() where import_id = @Id",
                new { outcome.Rows, claimed.Id }, transaction);
            await transaction.CommitAsync(cancellationToken);
            LogSucceeded(claimed.Id, outcome.Rows);
        }

        File.Delete(claimed.FilePath);
        return true;
    }

    private sealed record Outcome(long Rows, List<ImportEndpoints.ImportError> Errors);

    private async Task<Outcome> Import(NpgsqlConnection connection, NpgsqlTransaction transaction, string path, Guid importId, Guid? partnerNgo, CancellationToken cancellationToken)
    {
        var errors = new List<ImportEndpoints.ImportError>();
        if (!File.Exists(path))
        {
            errors.Add(new(0, "file", "The uploaded file is gone; upload it again."));
            return new Outcome(0, errors);
        }

        await connection.ExecuteAsync("""
            create temp table import_rows (
                row_number bigint, id uuid, ngo_id uuid, project_id uuid, type text, amount numeric(20, 2), currency text,
                amount_usd numeric(20, 2), fx_rate numeric(20, 6), fx_rate_month date, value_date date,
                province_code text, current_province_code text, reference text, description text
            ) on commit drop
            """, transaction: transaction);

        var context = await LedgerContext.Load(dataSource, registry, partnerNgo, cancellationToken);
        var max = options.Value.MaxErrors;
        long rows = 0;
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { BadDataFound = null, MissingFieldFound = null, DetectColumnCountChanges = false });
        if (!await csv.ReadAsync() || !csv.ReadHeader() || !ImportEndpoints.Header.Split(',').All(h => csv.HeaderRecord!.Contains(h)))
        {
            errors.Add(new(0, "header", $"The first line must be the header {ImportEndpoints.Header}."));
            return new Outcome(0, errors);
        }

        await using (var copy = await connection.BeginBinaryImportAsync(
            "copy import_rows (row_number, id, ngo_id, project_id, type, amount, currency, amount_usd, fx_rate, fx_rate_month, value_date, province_code, current_province_code, reference, description) from stdin (format binary)",
            cancellationToken))
        {
            while (await csv.ReadAsync())
            {
                rows++;
                var (request, parseErrors) = Parse(csv);
                if (request.ProjectId is { } projectId && context.Project(projectId) is null)
                {
                    await context.Resolve([projectId], cancellationToken);
                }

                var malformed = new ValidationErrors();
                var invalid = new ValidationErrors();
                var row = parseErrors.Count == 0 ? LedgerRules.Check(request, context, malformed, invalid) : null;
                foreach (var (field, message) in parseErrors.Concat(Flatten(malformed)).Concat(Flatten(invalid)))
                {
                    if (errors.Count < max)
                    {
                        errors.Add(new(rows, field, message));
                    }
                }

                if (row is not null && errors.Count == 0)
                {
                    await WriteRow(copy, rows, row, cancellationToken);
                }

                if (rows % 20_000 == 0)
                {
                    await Progress(importId, "running", 0, rows, null);
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

        // References are unique per NGO: within the file and against the ledger.
        const string duplicates = """
            select row_number as row, 'reference' as field, 'reference ' || reference || ' is used more than once in the file.' as message
            from (select row_number, reference, count(*) over (partition by ngo_id, reference) as n from import_rows) x where n > 1
            union all
            select s.row_number, 'reference', 'reference ' || s.reference || ' is already used by the NGO.'
            from import_rows s join disbursements d on d.ngo_id = s.ngo_id and d.reference = s.reference
            order by 1
            limit @max
            """;
        errors.AddRange((await connection.QueryAsync<(long Row, string Field, string Message)>(duplicates, new { max }, transaction))
            .Select(d => new ImportEndpoints.ImportError(d.Row, d.Field, d.Message)));
        if (errors.Count > 0)
        {
            return new Outcome(rows, errors);
        }

        // The events are built in SQL, field for field as DisbursementRecorded serialises, so a
        // million rows need no million objects.
        const string write = $"""
            insert into disbursements (id, ngo_id, project_id, type, amount, currency, amount_usd, fx_rate, fx_rate_month, value_date,
                                       province_code, current_province_code, reference, description)
            select id, ngo_id, project_id, type, amount, currency, amount_usd, fx_rate, fx_rate_month, value_date,
                   province_code, current_province_code, reference, description
            from import_rows order by row_number;

            insert into outbox_messages (id, message_type, payload)
            select id, '{EventType}', jsonb_build_object(
                'eventId', id, 'occurredAt', now(), 'disbursementId', id, 'ngoId', ngo_id, 'projectId', project_id, 'type', type,
                'amount', amount, 'currency', currency, 'amountUsd', amount_usd, 'fxRate', fx_rate,
                'fxRateMonth', to_char(fx_rate_month, 'YYYY-MM'), 'valueDate', to_char(value_date, 'YYYY-MM-DD'),
                'provinceCode', province_code, 'currentProvinceCode', current_province_code, 'reference', reference)
            from import_rows order by row_number;
            """;
        await connection.ExecuteAsync(write, transaction: transaction, commandTimeout: 0);
        return new Outcome(rows, errors);
    }

    private static readonly string[] TextFields = ["type", "currency", "provinceCode", "reference", "description"];

    private static (DisbursementRequest Request, List<(string Field, string Message)> Errors) Parse(CsvReader csv)
    {
        var errors = new List<(string, string)>();
        Guid? projectId = null;
        if (Guid.TryParse(csv.GetField("projectId"), out var id)) { projectId = id; } else { errors.Add(("projectId", "projectId must be a UUID.")); }

        decimal? amount = null;
        if (decimal.TryParse(csv.GetField("amount"), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var a)) { amount = a; }
        else { errors.Add(("amount", "amount must be a number such as 1234.56.")); }

        DateOnly? valueDate = null;
        if (DateOnly.TryParseExact(csv.GetField("valueDate"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) { valueDate = d; }
        else { errors.Add(("valueDate", "valueDate must be a date as YYYY-MM-DD.")); }

        var type = csv.GetField("type");
        var province = csv.GetField("provinceCode");
        var description = csv.GetField("description");
        // PostgreSQL cannot store a NUL in text: refuse it here rather than fail the whole import at the copy.
        foreach (var field in TextFields.Where(f => csv.GetField(f)?.Contains('\0', StringComparison.Ordinal) == true))
        {
            errors.Add((field, $"{field} must not contain a NUL character."));
        }

        return (new DisbursementRequest(projectId, string.IsNullOrEmpty(type) ? null : type, amount, csv.GetField("currency"), valueDate,
            string.IsNullOrEmpty(province) ? null : province, csv.GetField("reference"), string.IsNullOrEmpty(description) ? null : description), errors);
    }

    private static IEnumerable<(string Field, string Message)> Flatten(ValidationErrors errors) =>
        errors.ToDictionary().SelectMany(e => e.Value.Select(m => (e.Key, m)));

    private static async Task WriteRow(NpgsqlBinaryImporter copy, long number, LedgerRow row, CancellationToken cancellationToken)
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
    }

    private static Task WriteNullable(NpgsqlBinaryImporter copy, string? value, CancellationToken cancellationToken) =>
        value is null ? copy.WriteNullAsync(cancellationToken) : copy.WriteAsync(value, NpgsqlDbType.Text, cancellationToken);

    /// <summary>Progress goes through its own connection, so a reader sees it while the import's transaction is open.</summary>
    private async Task Progress(Guid id, string status, long rowsTotal, long rowsDone, List<ImportEndpoints.ImportError>? errors)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            update import_progress set status = @status, rows_total = greatest(rows_total, @rowsTotal), rows_done = @rowsDone,
                errors = coalesce(@errors::jsonb, errors), updated_at = now()
            where import_id = @id
            """, new { id, status, rowsTotal, rowsDone, errors = errors is null ? null : JsonSerializer.Serialize(errors, JsonSerializerOptions.Web) });
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Import worker will retry after a transient failure")]
    private partial void LogRetry(Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import {Id} failed: {Rows} rows read, {Errors} errors, nothing written")]
    private partial void LogFailed(Guid id, long rows, int errors);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import {Id} succeeded: {Rows} rows")]
    private partial void LogSucceeded(Guid id, long rows);
}
