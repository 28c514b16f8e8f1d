using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using AidPlatform.Disbursement.Api.Data;
using AidPlatform.Disbursement.Api.Domain;
using AidPlatform.ServiceDefaults.Errors;
using AidPlatform.ServiceDefaults.Http;
using AidPlatform.ServiceDefaults.Security;
using AidPlatform.ServiceDefaults.Validation;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AidPlatform.Disbursement.Api.Endpoints;

/// <summary>The append-only ledger: record, batch, list, read, reverse, total.</summary>
public static class DisbursementEndpoints
{
    public static IEndpointRouteBuilder MapDisbursementEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/disbursements").WithTags("Disbursements");
        group.MapPost("/", RecordDisbursement).WithName("RecordDisbursement").RequireAuthorization(Policies.RecordTransactions)
            .WithSummary("Records one commitment, disbursement or expenditure, converted to USD at its value date's monthly rate; a 422 names each rule it breaks, "
                + "among them the registry's: the project's period (expenditures up to 6 months after its end) and provinces, its approval state, and the NGO's certificate on the value date.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapPost("/batch", RecordBatch).WithName("RecordDisbursementBatch").RequireAuthorization(Policies.RecordTransactions).CreatesMany()
            .WithSummary($"Records up to {LedgerBatch.MaxItems:N0} rows, all or nothing: any invalid item is a 422 naming each by index.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapGet("/", ListDisbursements).WithName("ListDisbursements")
            .WithSummary("Ledger rows by project, NGO, type and value-date range.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/totals", GetTotals).WithName("GetDisbursementTotals")
            .WithSummary("USD totals by type and the row count, reversals included: the figure reporting reconciles with.")
            .ProducesValidationProblem();
        group.MapGet("/{id:guid}", GetDisbursement).WithName("GetDisbursement")
            .WithSummary("One ledger row.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id:guid}/reversal", ReverseDisbursement).WithName("ReverseDisbursement").RequireAuthorization(Policies.RecordTransactions)
            .WithSummary("Records a negative row linked to the original, which becomes reversed; a second reversal is a 409.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return routes;
    }

    internal static async Task<Created<DisbursementDto>> RecordDisbursement(
        DisbursementRequest request, ClaimsPrincipal user, LedgerReferences references, LedgerStore ledger, RateCoverageStore coverage, CancellationToken cancellationToken)
    {
        // From memory first, with no read: a row the remembered reference accepts is written only if the rates and
        // its project are still as remembered. Otherwise, and for any refusal, the rules run on a fresh read.
        if (request.ProjectId is { } projectId && references.Remember(user.PartnerNgo(), projectId) is { } remembered
            && LedgerRules.Validate(request, remembered.Reference, new ValidationErrors()) is { } accepted
            && await ledger.Record(accepted, remembered.Stamp, cancellationToken) is { } written)
        {
            return TypedResults.Created($"/api/v1/disbursements/{accepted.Id}", DisbursementDto.From(written));
        }

        // Missing and invalid fields alike are a 422, as for a batch item.
        var (row, errors, misses) = await references.Judge(user.PartnerNgo(), request.ProjectId is { } id ? [id] : [], (reference, doubted) =>
        {
            var errors = new ValidationErrors();
            var row = LedgerRules.Validate(request, reference, errors, "", doubted);
            return (row, errors, row is null ? RateMisses.Of([request], reference) : null);
        }, cancellationToken);
        if (row is null)
        {
            await coverage.Record(misses!, cancellationToken);
            throw errors.Refusal("The ledger row was refused; nothing was written.");
        }

        var entry = await ledger.Record(row, cancellationToken);
        return TypedResults.Created($"/api/v1/disbursements/{row.Id}", DisbursementDto.From(entry));
    }

    internal static async Task<Created<BatchResult>> RecordBatch(
        List<DisbursementRequest?>? items, ClaimsPrincipal user, LedgerReferences references, LedgerStore ledger, RateCoverageStore coverage, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var batch = LedgerBatch.ValidateSize(items, errors) ?? throw errors.Refusal("The batch was refused.");
        (var rows, errors, var misses) = await references.Judge(user.PartnerNgo(), batch.Where(i => i?.ProjectId is not null).Select(i => i!.ProjectId!.Value), (reference, doubted) =>
        {
            var itemErrors = new ValidationErrors();
            var valid = LedgerBatch.ValidateItems(batch, reference, itemErrors, doubted);
            return (valid, itemErrors, itemErrors.Any ? RateMisses.Of(batch, reference) : null);
        }, cancellationToken);
        if (misses is not null)
        {
            await coverage.Record(misses, cancellationToken);
        }

        // References the ledger already holds are named here too, so one answer lists every fault (a
        // concurrent writer can still win the race: the unique index then answers 409).
        var held = await ledger.HeldReferences(rows.ConvertAll(r => r.Row), cancellationToken);
        LedgerBatch.ValidateReferences(rows, held, errors);
        errors.ThrowIfAny($"The batch was refused whole: {errors.Count} field(s) are invalid; nothing was written.");

        await ledger.Record(rows.ConvertAll(r => r.Row), cancellationToken);
        // Many resources, no one Location: the ids are in the body.
        return TypedResults.Created((string?)null, new BatchResult(rows.Count, rows.ConvertAll(r => r.Row.Id)));
    }

    internal static async Task<Ok<Paged<DisbursementDto>>> ListDisbursements(
        ClaimsPrincipal user, LedgerStore ledger, ProjectCopy projects, Guid? projectId, Guid? ngoId, [LedgerType] string? type,
        DateOnly? from, DateOnly? to, [Range(1, 1_000_000)] int? page, [Range(1, PageRequest.MaxPageSize)] int? pageSize, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var paging = PageRequest.From(page, pageSize, errors);
        var own = user.PartnerNgo();
        var filter = LedgerFilter.Validate(new LedgerFilter(projectId, ngoId, own, type, from, to), errors) ?? throw errors.Refusal();

        // An NGO or project a partner may not see reads exactly like one that does not exist. (For others a
        // project not yet copied from the registry simply has no rows.)
        if (own is not null && ngoId is not null && ngoId != own)
        {
            throw new NotFoundException($"NGO {ngoId} does not exist.");
        }

        if (own is not null && projectId is { } project && await projects.NgoOf(project, cancellationToken) != own)
        {
            throw new NotFoundException($"Project {projectId} does not exist.");
        }

        var (entries, total) = await ledger.List(filter, paging, cancellationToken);
        return TypedResults.Ok(new Paged<DisbursementDto>(entries.Select(DisbursementDto.From).ToList(), paging.Page, paging.PageSize, total));
    }

    internal static async Task<Ok<DisbursementDto>> GetDisbursement(Guid id, ClaimsPrincipal user, LedgerStore ledger, CancellationToken cancellationToken)
    {
        var entry = await ledger.Find(id, cancellationToken);
        return TypedResults.Ok(entry is not null && user.MaySee(entry.Row.NgoId) ? DisbursementDto.From(entry) : throw new NotFoundException($"Disbursement {id} does not exist."));
    }

    internal static async Task<Created<DisbursementDto>> ReverseDisbursement(
        Guid id, ReversalRequest? request, ClaimsPrincipal user, LedgerStore ledger, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var reason = Reversal.ValidateReason(request?.Reason, errors) ?? throw errors.Refusal("The reversal was refused.");
        var original = await ledger.Find(id, cancellationToken) is { } found && user.MaySee(found.Row.NgoId)
            ? found
            : throw new NotFoundException($"Disbursement {id} does not exist.");
        var reversal = Reversal.Of(original, reason);
        var entry = await ledger.Record(reversal, cancellationToken);
        return TypedResults.Created($"/api/v1/disbursements/{reversal.Id}", DisbursementDto.From(entry));
    }

    internal static async Task<Ok<Totals>> GetTotals(ClaimsPrincipal user, LedgerStore ledger, DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var filter = LedgerFilter.Validate(new LedgerFilter(null, null, user.PartnerNgo(), null, from, to), errors) ?? throw errors.Refusal("The range is invalid.");
        var totals = await ledger.Totals(filter, cancellationToken);
        return TypedResults.Ok(new Totals(new ByType(totals.Commitment, totals.Disbursement, totals.Expenditure), totals.Count));
    }
}
