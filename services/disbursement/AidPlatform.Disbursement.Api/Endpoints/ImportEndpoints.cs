using System.Text.Json;
using AidPlatform.Disbursement.Api.Importing;
using System.Security.Claims;
using AidPlatform.ServiceDefaults.Errors;
using AidPlatform.ServiceDefaults.Security;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AidPlatform.Disbursement.Api.Endpoints;

/// <summary>CSV import jobs: the file is accepted at once (202) and imported all or nothing in the background.</summary>
public static class ImportEndpoints
{
    public const string Header = "projectId,type,amount,currency,valueDate,provinceCode,reference,description";

    public static IEndpointRouteBuilder MapImportEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/disbursements/imports").WithTags("Imports");
        group.MapPost("/", StartImport).WithName("StartDisbursementImport").RequireAuthorization(Policies.RecordTransactions)
            .WithSummary($"Accepts a text/csv body with the header {Header}; imports it all or nothing.")
            .Accepts<string>("text/csv")
            .WithMetadata(new RequestSizeLimitAttribute(4L * 1024 * 1024 * 1024))
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesValidationProblem();
        group.MapGet("/{id:guid}", GetImport).WithName("GetDisbursementImport")
            .WithSummary("An import's status, progress and row errors (row 1 is the first line after the header).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    public sealed record ImportAccepted(Guid Id);

    public sealed record ImportError(long Row, string Field, string Message);

    public sealed record ImportStatus(Guid Id, string Status, long RowsTotal, long RowsDone, IReadOnlyList<ImportError> Errors);

    internal static async Task<Results<Accepted<ImportAccepted>, ProblemHttpResult>> StartImport(
        HttpRequest request, ClaimsPrincipal user, NpgsqlDataSource db, IOptions<ImportOptions> options, ImportSignal signal, CancellationToken cancellationToken)
    {
        if (!(request.ContentType?.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) ?? false))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type",
                detail: "Send the file as the request body with Content-Type: text/csv.");
        }

        var id = Guid.CreateVersion7();
        Directory.CreateDirectory(options.Value.Directory);
        var path = Path.Combine(options.Value.Directory, $"{id}.csv");
        // Streamed to disk as it arrives: a million-row file never sits in memory.
        await using (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        {
            await request.Body.CopyToAsync(file, cancellationToken);
        }

        const string sql = """
            insert into imports (id, file_path, partner_ngo_id) values (@id, @path, @partnerNgo);
            insert into import_progress (import_id, status) values (@id, 'queued');
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(sql, new { id, path, partnerNgo = user.PartnerNgo() });
        signal.Wake();
        return TypedResults.Accepted($"/api/v1/disbursements/imports/{id}", new ImportAccepted(id));
    }

    internal static async Task<Ok<ImportStatus>> GetImport(Guid id, ClaimsPrincipal user, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        const string sql = """
            select p.status, p.rows_total, p.rows_done, p.errors::text as errors
            from import_progress p join imports i on i.id = p.import_id
            where p.import_id = @id and (@ownNgo::uuid is null or i.partner_ngo_id = @ownNgo)
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<(string Status, long RowsTotal, long RowsDone, string Errors)?>(sql, new { id, ownNgo = user.PartnerNgo() })
            ?? throw new NotFoundException($"Import {id} does not exist.");
        var errors = JsonSerializer.Deserialize<List<ImportError>>(row.Errors, JsonSerializerOptions.Web) ?? [];
        return TypedResults.Ok(new ImportStatus(id, row.Status, row.RowsTotal, row.RowsDone, errors));
    }
}
