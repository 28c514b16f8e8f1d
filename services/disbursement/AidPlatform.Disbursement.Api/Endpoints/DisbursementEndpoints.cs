using AidPlatform.ServiceDefaults.Validation;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using AidPlatform.Disbursement.Api.Clients;
using AidPlatform.Disbursement.Api.Domain;
using AidPlatform.ServiceDefaults.Errors;
using System.Security.Claims;
using AidPlatform.ServiceDefaults.Http;
using AidPlatform.ServiceDefaults.Security;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace AidPlatform.Disbursement.Api.Endpoints;

/// <summary>The append-only ledger: record, batch, list, read, reverse, total.</summary>
public static class DisbursementEndpoints
{
    public const int MaxBatch = 10_000;

    public static IEndpointRouteBuilder MapDisbursementEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/disbursements").WithTags("Disbursements");
        group.MapPost("/", RecordDisbursement).WithName("RecordDisbursement").RequireAuthorization(Policies.RecordTransactions)
            .WithSummary("Records one commitment, disbursement or expenditure, converted to USD at its value date's monthly rate.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        group.MapPost("/batch", RecordBatch).WithName("RecordDisbursementBatch").RequireAuthorization(Policies.RecordTransactions).CreatesMany()
            .WithSummary($"Records up to {MaxBatch:N0} rows, all or nothing: any invalid item is a 422 naming each by index.")
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

    public sealed record DisbursementDto(Guid Id, Guid ProjectId, Guid NgoId, [property: AllowedValues("commitment", "disbursement", "expenditure")] string Type, decimal Amount, string Currency, decimal AmountUsd,
        decimal FxRate, string FxRateMonth, DateOnly ValueDate, string? ProvinceCode, string? CurrentProvinceCode, string Reference,
        string? Description, Guid? ReversesId, [property: AllowedValues("recorded", "reversed")] string Status, DateTimeOffset RecordedAt);

    public sealed record BatchResult(int Count, IReadOnlyList<Guid> Ids);

    public sealed record ReversalRequest([property: Required, StringLength(1000, MinimumLength = 1)] string? Reason);

    public sealed record ByType(decimal Commitment, decimal Disbursement, decimal Expenditure);

    public sealed record Totals(ByType ByType, long Count);

    private const string SelectDisbursement = """
        select d.id, d.project_id, d.ngo_id, d.type, d.amount, d.currency, d.amount_usd, d.fx_rate, d.fx_rate_month, d.value_date,
               d.province_code, d.current_province_code, d.reference, d.description, d.reverses_id,
               case when exists (select 1 from disbursements r where r.reverses_id = d.id) then 'reversed' else 'recorded' end as status,
               d.recorded_at
        from disbursements d
        """;

    internal static async Task<Created<DisbursementDto>> RecordDisbursement(
        DisbursementRequest request, ClaimsPrincipal user, NpgsqlDataSource db, RegistryClient registry, CancellationToken cancellationToken)
    {
        var context = await LedgerContext.Load(db, registry, user.PartnerNgo(), cancellationToken);
        if (request.ProjectId is { } projectId)
        {
            await context.Resolve([projectId], cancellationToken);
        }

        // Missing and invalid fields alike are a 422, as for a batch item.
        var errors = new ValidationErrors();
        var row = LedgerRules.Check(request, context, errors, errors) ?? throw errors.Refusal("The ledger row was refused; nothing was written.");
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LedgerWriter.Record(transaction, [row]);
        var dto = (await Find(connection, transaction, row.Id))!;
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/disbursements/{row.Id}", dto);
    }

    internal static async Task<Created<BatchResult>> RecordBatch(
        List<DisbursementRequest?>? items, ClaimsPrincipal user, NpgsqlDataSource db, RegistryClient registry, CancellationToken cancellationToken)
    {
        if (items is not { Count: > 0 and <= MaxBatch })
        {
            throw new UnprocessableException("The batch was refused.") { Errors = new Dictionary<string, string[]> { ["body"] = [$"The body must be a JSON array of 1 to {MaxBatch:N0} items."] } };
        }

        var context = await LedgerContext.Load(db, registry, user.PartnerNgo(), cancellationToken);
        await context.Resolve(items.Where(i => i?.ProjectId is not null).Select(i => i!.ProjectId!.Value), cancellationToken);
        var errors = new ValidationErrors();
        var rows = new List<(int Index, LedgerRow Row)>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not { } item)
            {
                errors.Add($"[{i}]", "The item is null.");
                continue;
            }

            // Malformed and invalid items alike are listed by index: the batch is refused as a whole.
            if (LedgerRules.Check(item, context, errors, errors, $"[{i}].") is { } row)
            {
                rows.Add((i, row));
            }
        }

        foreach (var (index, row) in rows.GroupBy(x => (x.Row.NgoId, x.Row.Reference)).Where(g => g.Count() > 1).SelectMany(g => g.Skip(1)))
        {
            errors.Add($"[{index}].reference", $"reference {row.Reference} appears more than once in the batch.");
        }

        // References the ledger already holds are named here too, so one answer lists every fault (a
        // concurrent writer can still win the race: the unique index then answers 409).
        await using (var lookup = await db.OpenConnectionAsync(cancellationToken))
        {
            var taken = (await lookup.QueryAsync<(Guid NgoId, string Reference)>(
                "select ngo_id, reference from disbursements where (ngo_id, reference) in (select * from unnest(@NgoIds, @References))",
                new { NgoIds = rows.Select(r => r.Row.NgoId).ToArray(), References = rows.Select(r => r.Row.Reference).ToArray() })).ToHashSet();
            foreach (var (index, row) in rows.Where(r => taken.Contains((r.Row.NgoId, r.Row.Reference))))
            {
                errors.Add($"[{index}].reference", $"reference {row.Reference} is already recorded for this NGO.");
            }
        }

        if (errors.Any)
        {
            throw new UnprocessableException($"The batch was refused whole: {errors.Count} field(s) are invalid; nothing was written.") { Errors = errors.ToDictionary() };
        }

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await LedgerWriter.Record(transaction, rows.Select(r => r.Row).ToList());
        await transaction.CommitAsync(cancellationToken);
        // Many resources, no one Location: the ids are in the body.
        return TypedResults.Created((string?)null, new BatchResult(rows.Count, rows.Select(r => r.Row.Id).ToList()));
    }

    internal static async Task<Ok<Paged<DisbursementDto>>> ListDisbursements(
        ClaimsPrincipal user, NpgsqlDataSource db, Guid? projectId, Guid? ngoId, [AllowedValues("commitment", "disbursement", "expenditure")] string? type,
        DateOnly? from, DateOnly? to, [Range(1, 1_000_000)] int? page, [Range(1, PageRequest.MaxPageSize)] int? pageSize, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var paging = PageRequest.From(page, pageSize, errors);
        errors.Require(from is null || to is null || from <= to, "to", "to must not be before from.");
        errors.ThrowIfAny();

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        // An NGO or project a partner may not see reads exactly like one that does not exist. (For others a
        // project not yet copied from the registry simply has no rows.)
        var own = user.PartnerNgo();
        if (ngoId is not null && own is not null && ngoId != own)
        {
            throw new NotFoundException($"NGO {ngoId} does not exist.");
        }

        if (projectId is not null
            && await connection.ExecuteScalarAsync<Guid?>("select ngo_id from projects where id = @projectId", new { projectId }) is var owner
            && own is not null && owner != own)
        {
            throw new NotFoundException($"Project {projectId} does not exist.");
        }

        const string sql = $"""
            select x.*, count(*) over () as total from (
                {SelectDisbursement}
                where (@ProjectId::uuid is null or d.project_id = @ProjectId)
                  and (@NgoId::uuid is null or d.ngo_id = @NgoId)
                  and (@OwnNgo::uuid is null or d.ngo_id = @OwnNgo)
                  and (@Type::text is null or d.type = @Type)
                  and (@From::date is null or d.value_date >= @From)
                  and (@To::date is null or d.value_date <= @To)
            ) x
            order by x.value_date desc, x.id
            limit @Limit offset @Offset
            """;
        var rows = (await connection.QueryAsync<DisbursementRow>(sql, new { ProjectId = projectId, NgoId = ngoId, OwnNgo = own, Type = type, From = from, To = to, Limit = paging.PageSize, paging.Offset })).AsList();
        return TypedResults.Ok(new Paged<DisbursementDto>(rows.Select(r => r.ToDto()).ToList(), paging.Page, paging.PageSize, rows.Count > 0 ? rows[0].Total : 0));
    }

    internal static async Task<Ok<DisbursementDto>> GetDisbursement(Guid id, ClaimsPrincipal user, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var dto = await Find(connection, null, id);
        return TypedResults.Ok(dto is not null && user.MaySee(dto.NgoId) ? dto : throw new NotFoundException($"Disbursement {id} does not exist."));
    }

    internal static async Task<Created<DisbursementDto>> ReverseDisbursement(
        Guid id, ReversalRequest? request, ClaimsPrincipal user, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        var reason = request?.Reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > 1000)
        {
            throw new UnprocessableException("The reversal was refused.") { Errors = new Dictionary<string, string[]> { ["reason"] = ["reason is required, 1000 characters or fewer."] } };
        }

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var original = await Find(connection, transaction, id) is { } found && user.MaySee(found.NgoId)
            ? found
            : throw new NotFoundException($"Disbursement {id} does not exist.");
        if (original.ReversesId is not null)
        {
            throw new UnprocessableException("A reversal cannot itself be reversed; record a new row instead.");
        }

        if (original.Status == "reversed")
        {
            throw new ConflictException("This disbursement is already reversed.");
        }

        // The exact negation of the original, at its rate: the pair nets to zero in every currency.
        var reversal = new LedgerRow(Guid.CreateVersion7(), original.NgoId, original.ProjectId, original.Type, -original.Amount, original.Currency,
            -original.AmountUsd, original.FxRate, DateOnly.ParseExact(original.FxRateMonth + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture),
            original.ValueDate, original.ProvinceCode, original.CurrentProvinceCode, $"reversal:{original.Id}", reason, original.Id);
        await LedgerWriter.Record(transaction, [reversal]);
        var dto = (await Find(connection, transaction, reversal.Id))!;
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/disbursements/{reversal.Id}", dto);
    }

    internal static async Task<Ok<Totals>> GetTotals(ClaimsPrincipal user, NpgsqlDataSource db, DateOnly? from, DateOnly? to, CancellationToken cancellationToken)
    {
        if (from is not null && to is not null && from > to)
        {
            throw new UnprocessableException("The range is invalid.") { Errors = new Dictionary<string, string[]> { ["to"] = ["to must not be before from."] } };
        }

        const string sql = """
            select coalesce(sum(amount_usd) filter (where type = 'commitment'), 0) as commitment,
                   coalesce(sum(amount_usd) filter (where type = 'disbursement'), 0) as disbursement,
                   coalesce(sum(amount_usd) filter (where type = 'expenditure'), 0) as expenditure,
                   count(*) as count
            from disbursements
            where (@from::date is null or value_date >= @from) and (@to::date is null or value_date <= @to)
              and (@ownNgo::uuid is null or ngo_id = @ownNgo)
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleAsync<(decimal Commitment, decimal Disbursement, decimal Expenditure, long Count)>(sql, new { from, to, ownNgo = user.PartnerNgo() });
        return TypedResults.Ok(new Totals(new ByType(row.Commitment, row.Disbursement, row.Expenditure), row.Count));
    }

    private static async Task<DisbursementDto?> Find(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid id) =>
        (await connection.QuerySingleOrDefaultAsync<DisbursementRow>($"{SelectDisbursement} where d.id = @id", new { id }, transaction))?.ToDto();

    private sealed class DisbursementRow
    {
        public Guid Id { get; init; }
        public Guid ProjectId { get; init; }
        public Guid NgoId { get; init; }
        public string Type { get; init; } = "";
        public decimal Amount { get; init; }
        public string Currency { get; init; } = "";
        public decimal AmountUsd { get; init; }
        public decimal FxRate { get; init; }
        public DateOnly FxRateMonth { get; init; }
        public DateOnly ValueDate { get; init; }
        public string? ProvinceCode { get; init; }
        public string? CurrentProvinceCode { get; init; }
        public string Reference { get; init; } = "";
        public string? Description { get; init; }
        public Guid? ReversesId { get; init; }
        public string Status { get; init; } = "";
        public DateTime RecordedAt { get; init; }
        public long Total { get; init; }

        // Amounts are numeric(20,2): trailing zeros are dropped so that VND reads 1000000, not 1000000.00.
        public DisbursementDto ToDto() => new(Id, ProjectId, NgoId, Type, Amount / 1.000000000000000000000000000000000m, Currency, AmountUsd, FxRate / 1.000000000000000000000000000000000m,
            FxRateMonth.ToString("yyyy-MM", CultureInfo.InvariantCulture), ValueDate, ProvinceCode, CurrentProvinceCode, Reference, Description,
            ReversesId, Status, new DateTimeOffset(RecordedAt, TimeSpan.Zero));
    }
}
