using System.Text.Json;
using AidPlatform.Disbursement.Api.Domain;
using Dapper;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AidPlatform.Disbursement.Api.Data.Importing;

/// <summary>An import's state as its uploader reads it.</summary>
public sealed record ImportProgress(string Status, long RowsTotal, long RowsDone, IReadOnlyList<ImportError> Errors);

/// <summary>
/// Import jobs: the uploaded file waits under <see cref="ImportOptions.Directory"/>, the job row (<c>imports</c>)
/// is what the worker locks while it imports, and its progress (<c>import_progress</c>) lives apart so that
/// readers see it while the import's transaction is open.
/// </summary>
public sealed class ImportJobs(NpgsqlDataSource dataSource, IOptions<ImportOptions> options)
{
    /// <summary>Where the upload of import <paramref name="id"/> is kept until the worker has imported it.</summary>
    public string FileOf(Guid id)
    {
        Directory.CreateDirectory(options.Value.Directory);
        return Path.Combine(options.Value.Directory, $"{id}.csv");
    }

    /// <summary>Queues an uploaded file; <paramref name="partnerNgo"/> is the partner that sent it, whose projects alone its rows may name.</summary>
    public async Task Queue(Guid id, string path, Guid? partnerNgo, CancellationToken cancellationToken)
    {
        const string sql = """
            insert into imports (id, file_path, partner_ngo_id) values (@id, @path, @partnerNgo);
            insert into import_progress (import_id, status) values (@id, 'queued');
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(sql, new { id, path, partnerNgo });
    }

    /// <summary>An import's progress; null when there is none, or it is another partner's (<paramref name="ownNgo"/>).</summary>
    public async Task<ImportProgress?> Find(Guid id, Guid? ownNgo, CancellationToken cancellationToken)
    {
        const string sql = """
            select p.status, p.rows_total, p.rows_done, p.errors::text as errors
            from import_progress p join imports i on i.id = p.import_id
            where p.import_id = @id and (@ownNgo::uuid is null or i.partner_ngo_id = @ownNgo)
            """;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string Status, long RowsTotal, long RowsDone, string Errors)?>(sql, new { id, ownNgo });
        return row is { } found
            ? new ImportProgress(found.Status, found.RowsTotal, found.RowsDone, JsonSerializer.Deserialize<List<ImportError>>(found.Errors, JsonSerializerOptions.Web) ?? [])
            : null;
    }

    /// <summary>Takes the oldest queued or interrupted job and keeps it locked in <paramref name="transaction"/>: a second instance skips it.</summary>
    public static Task<(Guid Id, string FilePath, Guid? PartnerNgo)?> Claim(NpgsqlTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        const string sql = """
            select i.id, i.file_path, i.partner_ngo_id
            from imports i join import_progress p on p.import_id = i.id
            where p.status in ('queued', 'running')
            order by i.created_at
            limit 1
            for update of i skip locked
            """;
        return transaction.Connection!.QuerySingleOrDefaultAsync<(Guid Id, string FilePath, Guid? PartnerNgo)?>(sql, transaction: transaction);
    }

    /// <summary>
    /// Marks the job succeeded in the transaction that wrote its rows, so both commit together, with the number of
    /// <paramref name="parts"/> its events are owed in and a bound below its rows' ids where the event writer starts.
    /// </summary>
    public static Task Succeed(NpgsqlTransaction transaction, Guid id, long rows, int parts, Guid rowsAfter)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        const string sql = """
            update import_progress
            set status = 'succeeded', rows_total = @rows, rows_done = @rows, event_parts = @parts, events_after = @rowsAfter, updated_at = now()
            where import_id = @id
            """;
        return transaction.Connection!.ExecuteAsync(sql, new { rows, parts, rowsAfter, id }, transaction);
    }

    /// <summary>Progress goes through its own connection, so a reader sees it while the import's transaction is open.</summary>
    public async Task Progress(Guid id, string status, long rowsTotal, long rowsDone, IReadOnlyList<ImportError>? errors)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync("""
            update import_progress set status = @status, rows_total = greatest(rows_total, @rowsTotal), rows_done = @rowsDone,
                errors = coalesce(@errors::jsonb, errors), updated_at = now()
            where import_id = @id
            """, new { id, status, rowsTotal, rowsDone, errors = errors is null ? null : JsonSerializer.Serialize(errors, JsonSerializerOptions.Web) });
    }
}
