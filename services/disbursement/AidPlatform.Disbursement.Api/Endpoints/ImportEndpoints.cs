using System.Security.Claims;
using AidPlatform.Disbursement.Api.Data.Importing;
using AidPlatform.Disbursement.Api.Domain;
using AidPlatform.ServiceDefaults.Errors;
using AidPlatform.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AidPlatform.Disbursement.Api.Endpoints;

/// <summary>CSV import jobs: the file is accepted at once (202) and imported all or nothing in the background.</summary>
public static class ImportEndpoints
{
    public static IEndpointRouteBuilder MapImportEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/disbursements/imports").WithTags("Imports");
        group.MapPost("/", StartImport).WithName("StartDisbursementImport").RequireAuthorization(Policies.RecordTransactions)
            .WithSummary($"Accepts a CSV file with the header {CsvImport.Header}, as a text/csv body or a multipart/form-data part named file; imports it all or nothing.")
            .Accepts<string>("text/csv", "multipart/form-data")
            .WithMetadata(new RequestSizeLimitAttribute(4L * 1024 * 1024 * 1024))
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType).ProducesValidationProblem();
        group.MapGet("/{id:guid}", GetImport).WithName("GetDisbursementImport")
            .WithSummary("An import's status, progress and row errors (row 1 is the first line after the header).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    internal static async Task<Results<Accepted<ImportAccepted>, ProblemHttpResult>> StartImport(
        HttpRequest request, ClaimsPrincipal user, ImportJobs jobs, ImportSignal signal, CancellationToken cancellationToken)
    {
        var id = Guid.CreateVersion7();
        var path = jobs.FileOf(id);
        var refusal = await Receive(request, path, cancellationToken);
        if (refusal is not null)
        {
            File.Delete(path);
            return refusal;
        }

        await jobs.Queue(id, path, user.PartnerNgo(), cancellationToken);
        signal.Wake();
        return TypedResults.Accepted($"/api/v1/disbursements/imports/{id}", new ImportAccepted(id));
    }

    /// <summary>
    /// Streams the file to disk as it arrives (a million-row file never sits in memory), from a text/csv body
    /// or from the <c>file</c> part of a multipart/form-data body; a refusal when the request carries neither.
    /// </summary>
    private static async Task<ProblemHttpResult?> Receive(HttpRequest request, string path, CancellationToken cancellationToken)
    {
        var (source, refusal) = await CsvUploads.Open(request, cancellationToken);
        if (source is null)
        {
            return refusal;
        }

        await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await source.CopyToAsync(file, cancellationToken);
        return null;
    }

    internal static async Task<Ok<ImportStatus>> GetImport(Guid id, ClaimsPrincipal user, ImportJobs jobs, CancellationToken cancellationToken)
    {
        var progress = await jobs.Find(id, user.PartnerNgo(), cancellationToken) ?? throw new NotFoundException($"Import {id} does not exist.");
        return TypedResults.Ok(new ImportStatus(id, progress.Status, progress.RowsTotal, progress.RowsDone, progress.Errors));
    }
}
