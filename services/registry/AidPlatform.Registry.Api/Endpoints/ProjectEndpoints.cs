using AidPlatform.ServiceDefaults.Validation;
using System.ComponentModel.DataAnnotations;
using AidPlatform.Contracts.Registry;
using AidPlatform.Reference;
using AidPlatform.Registry.Api.Domain;
using AidPlatform.ServiceDefaults.Errors;
using AidPlatform.ServiceDefaults.Http;
using System.Security.Claims;
using AidPlatform.ServiceDefaults.Messaging;
using AidPlatform.ServiceDefaults.Security;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace AidPlatform.Registry.Api.Endpoints;

/// <summary>Projects: what an NGO runs, where, in which sectors, with what budget and over which period.</summary>
public static class ProjectEndpoints
{
    public static readonly IReadOnlyList<string> Statuses = ["pipeline", "implementation", "finalisation", "closed", "cancelled", "suspended"];

    public static IEndpointRouteBuilder MapProjectEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/projects").WithTags("Projects");
        group.MapPost("/", RegisterProject).WithName("RegisterProject").RequireAuthorization(Policies.Ministry)
            .WithSummary("Registers a project. Sector and location percentages each sum to 100; the NGO must hold a registration valid on startDate covering every location.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/", ListProjects).WithName("ListProjects")
            .WithSummary("Projects by NGO, province (current or former code), sector (code or 3-digit category), status and title.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/{id:guid}", GetProject).WithName("GetProject")
            .WithSummary("One project, with its ETag.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{id:guid}", UpdateProject).WithName("UpdateProject").RequireMinistryOnOwnedObject("Project", OwnerOf)
            .WithSummary("Replaces a project's details under the same rules. If-Match with a stale ETag is a 412.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/{id:guid}/overlaps", ListOverlaps).WithName("ListProjectOverlaps")
            .WithSummary("Other NGOs' projects sharing a province and a sector category over an overlapping period.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    public sealed record MoneyDto(
        [property: Required, Range(typeof(decimal), "0.01", "1000000000000")] decimal? Amount,
        [property: Required, RegularExpression("^[A-Z]{3}$")] string? Currency);

    public sealed record SectorShare([property: Required] string? Code, [property: Required, Range(typeof(decimal), "0.0001", "100")] decimal? Percentage);

    public sealed record LocationShare([property: Required] string? ProvinceCode, [property: Required, Range(typeof(decimal), "0.0001", "100")] decimal? Percentage);

    /// <summary>A project as a client sends it. In a PUT, ngoId is read-only: a project never moves to another NGO.</summary>
    public sealed record ProjectRequest([property: Required] Guid? NgoId, [property: Required, StringLength(500, MinimumLength = 1)] string? Title,
        [property: StringLength(4000)] string? Description, [property: StringLength(150)] string? IatiIdentifier, [property: Required, AllowedValues("pipeline", "implementation", "finalisation", "closed", "cancelled", "suspended")] string? Status,
        [property: Required] DateOnly? StartDate, DateOnly? EndDate, [property: Required] MoneyDto? Budget,
        [property: Required, MinLength(1), MaxLength(50)] List<SectorShare>? Sectors, [property: Required, MinLength(1), MaxLength(100)] List<LocationShare>? Locations,
        [property: StringLength(300)] string? LocalPartner);

    public sealed record BudgetDto(decimal Amount, string Currency);

    public sealed record SectorDto(string Code, string CategoryCode, decimal Percentage);

    public sealed record LocationDto(string ProvinceCode, string CurrentProvinceCode, decimal Percentage);

    public sealed record ProjectDto(Guid Id, Guid NgoId, string Title, string? Description, string? IatiIdentifier, [property: AllowedValues("pipeline", "implementation", "finalisation", "closed", "cancelled", "suspended")] string Status,
        DateOnly StartDate, DateOnly? EndDate, BudgetDto Budget, IReadOnlyList<SectorDto> Sectors, IReadOnlyList<LocationDto> Locations,
        string? LocalPartner, int Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

    public sealed record OverlapDto(Guid ProjectId, Guid NgoId, string Title, [property: AllowedValues("pipeline", "implementation", "finalisation", "closed", "cancelled", "suspended")] string Status, DateOnly StartDate, DateOnly? EndDate,
        IReadOnlyList<string> SharedProvinceCodes, IReadOnlyList<string> SharedSectorCategories);

    internal static async Task<Created<ProjectDto>> RegisterProject(
        ProjectRequest request, HttpResponse response, NpgsqlDataSource db, ReferenceData reference, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var project = Validate(request, reference, errors) ?? throw errors.Refusal();

        const string insert = """
            insert into projects (id, version, ngo_id, title, title_search, description, iati_identifier, status, start_date, end_date,
                                  budget_amount, budget_currency, local_partner)
            values (@Id, 1, @NgoId, @Title, @TitleSearch, @Description, @IatiIdentifier, @Status, @StartDate, @EndDate,
                    @BudgetAmount, @BudgetCurrency, @LocalPartner)
            """;
        var id = Guid.CreateVersion7();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await CheckAgainstRegistrations(connection, transaction, project);
        await NgoEndpoints.Unique(() => connection.ExecuteAsync(insert, project with { Id = id }, transaction));
        await WriteShares(connection, transaction, id, project);
        var dto = (await Load(connection, transaction, [id])).Single();
        await transaction.Enqueue(Guid.CreateVersion7(), ToEvent<ProjectRegistered>(dto));
        await transaction.CommitAsync(cancellationToken);
        response.Headers.ETag = ETags.For(dto.Version);
        return TypedResults.Created($"/api/v1/projects/{id}", dto);
    }

    internal static async Task<Ok<ProjectDto>> UpdateProject(
        Guid id, ProjectRequest request, HttpRequest http, HttpResponse response, NpgsqlDataSource db, ReferenceData reference, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var project = Validate(request, reference, errors) ?? throw errors.Refusal();

        const string update = """
            update projects set version = version + 1, title = @Title, title_search = @TitleSearch, description = @Description,
                iati_identifier = @IatiIdentifier, status = @Status, start_date = @StartDate, end_date = @EndDate,
                budget_amount = @BudgetAmount, budget_currency = @BudgetCurrency, local_partner = @LocalPartner, updated_at = now()
            where id = @Id and (@Expected::int is null or version = @Expected)
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var current = await connection.QuerySingleOrDefaultAsync<(Guid NgoId, int Version)?>(
            "select ngo_id, version from projects where id = @id for update", new { id }, transaction)
            ?? throw new NotFoundException($"Project {id} does not exist.");
        var expected = ETags.ExpectedVersion(http);
        if (expected is not null && expected != current.Version)
        {
            throw new PreconditionFailedException($"If-Match {http.Headers.IfMatch} is stale; the current ETag is {ETags.For(current.Version)}.");
        }

        // ngoId is read-only in a PUT: a project never moves to another NGO, whatever the body says.
        project = project with { NgoId = current.NgoId };
        await CheckAgainstRegistrations(connection, transaction, project);
        await NgoEndpoints.Unique(() => connection.ExecuteAsync(update, project with { Id = id, Expected = expected }, transaction));
        await connection.ExecuteAsync("delete from project_sectors where project_id = @id; delete from project_locations where project_id = @id;", new { id }, transaction);
        await WriteShares(connection, transaction, id, project);
        var dto = (await Load(connection, transaction, [id])).Single();
        await transaction.Enqueue(Guid.CreateVersion7(), ToEvent<ProjectUpdated>(dto));
        await transaction.CommitAsync(cancellationToken);
        response.Headers.ETag = ETags.For(dto.Version);
        return TypedResults.Ok(dto);
    }

    internal static async Task<Ok<ProjectDto>> GetProject(Guid id, ClaimsPrincipal user, HttpResponse response, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var dto = (await Load(connection, null, [id])).SingleOrDefault(p => user.MaySee(p.NgoId)) ?? throw new NotFoundException($"Project {id} does not exist.");
        response.Headers.ETag = ETags.For(dto.Version);
        return TypedResults.Ok(dto);
    }

    internal static async Task<Ok<Paged<ProjectDto>>> ListProjects(
        ClaimsPrincipal user, NpgsqlDataSource db, ReferenceData reference, Guid? ngoId, string? provinceCode, string? sector,
        [AllowedValues("pipeline", "implementation", "finalisation", "closed", "cancelled", "suspended")] string? status, string? q,
        [Range(1, 1_000_000)] int? page, [Range(1, PageRequest.MaxPageSize)] int? pageSize, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var paging = PageRequest.From(page, pageSize, errors);
        errors.Require(sector is null || (sector.Length is 3 or 5 && sector.All(char.IsAsciiDigit)), "sector", "sector must be a 5-digit DAC code or a 3-digit category.");
        errors.Require(provinceCode is null || (provinceCode.Length is > 0 and <= 3 && provinceCode.All(char.IsAsciiDigit)), "provinceCode", "provinceCode must be a province code of digits.");
        errors.Require(q is not { Length: > 200 }, "q", "q must be 200 characters or fewer.");
        errors.ThrowIfAny();

        // Another NGO's id reads exactly like one that does not exist.
        if (ngoId is not null && user.PartnerNgo() is { } own && own != ngoId)
        {
            throw new NotFoundException($"NGO {ngoId} does not exist.");
        }

        string? current = null;
        if (provinceCode is not null && !reference.Provinces.CurrentOf.TryGetValue(provinceCode, out current))
        {
            throw new UnprocessableException($"Province code {provinceCode} is neither a current nor a former province.")
            {
                Errors = new Dictionary<string, string[]> { ["provinceCode"] = ["Unknown province code."] },
            };
        }

        const string sql = """
            select p.id, count(*) over () as total
            from projects p
            where (@NgoId::uuid is null or p.ngo_id = @NgoId)
              and (@OwnNgo::uuid is null or p.ngo_id = @OwnNgo)
              and (@Status::text is null or p.status = @Status)
              and (@Q::text is null or p.title_search like @Q)
              and (@Province::text is null or exists (select 1 from project_locations l where l.project_id = p.id and l.current_province_code = @Province))
              and (@Sector::text is null or exists (select 1 from project_sectors s where s.project_id = p.id and s.code = @Sector))
              and (@Category::text is null or exists (select 1 from project_sectors s where s.project_id = p.id and s.category_code = @Category))
            order by p.created_at, p.id
            limit @Limit offset @Offset
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var page1 = (await connection.QueryAsync<(Guid Id, long Total)>(sql, new
        {
            NgoId = ngoId, OwnNgo = user.PartnerNgo(), Status = status, Q = string.IsNullOrWhiteSpace(q) ? null : SearchText.Contains(q), Province = current,
            Sector = sector?.Length == 5 ? sector : null, Category = sector?.Length == 3 ? sector : null,
            Limit = paging.PageSize, paging.Offset,
        })).AsList();
        var items = page1.Count == 0 ? [] : await Load(connection, null, page1.Select(r => r.Id).ToArray());
        return TypedResults.Ok(new Paged<ProjectDto>(items, paging.Page, paging.PageSize, page1.Count > 0 ? page1[0].Total : 0));
    }

    internal static async Task<Ok<Paged<OverlapDto>>> ListOverlaps(
        Guid id, ClaimsPrincipal user, NpgsqlDataSource db, [Range(1, 1_000_000)] int? page, [Range(1, PageRequest.MaxPageSize)] int? pageSize, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var paging = PageRequest.From(page, pageSize, errors);
        errors.ThrowIfAny();

        // Cancelled projects duplicate nothing; an open end date runs for ever.
        const string sql = """
            select o.id as project_id, o.ngo_id, o.title, o.status, o.start_date, o.end_date,
                   array(select distinct a.current_province_code from project_locations a join project_locations b
                         on b.current_province_code = a.current_province_code and b.project_id = o.id
                         where a.project_id = p.id order by 1) as shared_province_codes,
                   array(select distinct a.category_code from project_sectors a join project_sectors b
                         on b.category_code = a.category_code and b.project_id = o.id
                         where a.project_id = p.id order by 1) as shared_sector_categories,
                   count(*) over () as total
            from projects p
            join projects o on o.ngo_id <> p.ngo_id and o.status <> 'cancelled'
                and o.start_date <= coalesce(p.end_date, 'infinity'::date)
                and coalesce(o.end_date, 'infinity'::date) >= p.start_date
            where p.id = @id
              and exists (select 1 from project_locations a join project_locations b on b.current_province_code = a.current_province_code
                          where a.project_id = p.id and b.project_id = o.id)
              and exists (select 1 from project_sectors a join project_sectors b on b.category_code = a.category_code
                          where a.project_id = p.id and b.project_id = o.id)
            order by o.start_date, o.id
            limit @Limit offset @Offset
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var owner = await connection.ExecuteScalarAsync<Guid?>("select ngo_id from projects where id = @id", new { id });
        if (owner is not { } ngo || !user.MaySee(ngo))
        {
            throw new NotFoundException($"Project {id} does not exist.");
        }

        var rows = (await connection.QueryAsync<OverlapRow>(sql, new { id, Limit = paging.PageSize, paging.Offset })).AsList();
        var items = rows.Select(r => new OverlapDto(r.ProjectId, r.NgoId, r.Title, r.Status, r.StartDate, r.EndDate, r.SharedProvinceCodes, r.SharedSectorCategories)).ToList();
        return TypedResults.Ok(new Paged<OverlapDto>(items, paging.Page, paging.PageSize, rows.Count > 0 ? rows[0].Total : 0));
    }

    /// <summary>The NGO a project belongs to; null if there is no such project.</summary>
    private static async Task<Guid?> OwnerOf(HttpContext http, Guid id)
    {
        await using var connection = await http.RequestServices.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(http.RequestAborted);
        return await connection.QuerySingleOrDefaultAsync<Guid?>("select ngo_id from projects where id = @id", new { id });
    }

    /// <summary>The full state of projects, with sectors and locations, in the order of <paramref name="ids"/>.</summary>
    internal static async Task<List<ProjectDto>> Load(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid[] ids)
    {
        const string sql = """
            select id, ngo_id, title, description, iati_identifier, status, start_date, end_date, budget_amount, budget_currency,
                   local_partner, version, created_at, updated_at
            from projects where id = any(@ids);
            select project_id, code, category_code, percentage from project_sectors where project_id = any(@ids) order by project_id, percentage desc, code;
            select project_id, province_code, current_province_code, percentage from project_locations where project_id = any(@ids) order by project_id, percentage desc, province_code;
            """;
        await using var grid = await connection.QueryMultipleAsync(sql, new { ids }, transaction);
        var projects = (await grid.ReadAsync<ProjectRow>()).ToDictionary(p => p.Id);
        var sectors = (await grid.ReadAsync<(Guid ProjectId, string Code, string CategoryCode, decimal Percentage)>()).ToLookup(s => s.ProjectId);
        var locations = (await grid.ReadAsync<(Guid ProjectId, string ProvinceCode, string CurrentProvinceCode, decimal Percentage)>()).ToLookup(l => l.ProjectId);
        return ids.Where(projects.ContainsKey).Select(id =>
        {
            var p = projects[id];
            return new ProjectDto(p.Id, p.NgoId, p.Title, p.Description, p.IatiIdentifier, p.Status, p.StartDate, p.EndDate,
                new BudgetDto(p.BudgetAmount, p.BudgetCurrency),
                sectors[id].Select(s => new SectorDto(s.Code, s.CategoryCode, s.Percentage.Normalize())).ToList(),
                locations[id].Select(l => new LocationDto(l.ProvinceCode, l.CurrentProvinceCode, l.Percentage.Normalize())).ToList(),
                p.LocalPartner, p.Version, new DateTimeOffset(p.CreatedAt, TimeSpan.Zero), new DateTimeOffset(p.UpdatedAt, TimeSpan.Zero));
        }).ToList();
    }

    /// <summary>The event of either kind carries the project's full state, so consumers never call back.</summary>
    internal static T ToEvent<T>(ProjectDto dto) where T : class
    {
        var sectors = dto.Sectors.Select(s => new ProjectSector { Code = s.Code, CategoryCode = s.CategoryCode, Percentage = s.Percentage }).ToList();
        var locations = dto.Locations.Select(l => new ProjectLocation { ProvinceCode = l.ProvinceCode, CurrentProvinceCode = l.CurrentProvinceCode, Percentage = l.Percentage }).ToList();
        object e = typeof(T) == typeof(ProjectRegistered)
            ? new ProjectRegistered
            {
                EventId = Guid.CreateVersion7(), OccurredAt = DateTimeOffset.UtcNow, ProjectId = dto.Id, Version = dto.Version, NgoId = dto.NgoId, Title = dto.Title,
                IatiIdentifier = dto.IatiIdentifier, Status = dto.Status, StartDate = dto.StartDate, EndDate = dto.EndDate,
                BudgetAmount = dto.Budget.Amount, BudgetCurrency = dto.Budget.Currency, Sectors = sectors, Locations = locations,
            }
            : new ProjectUpdated
            {
                EventId = Guid.CreateVersion7(), OccurredAt = DateTimeOffset.UtcNow, ProjectId = dto.Id, Version = dto.Version, NgoId = dto.NgoId, Title = dto.Title,
                IatiIdentifier = dto.IatiIdentifier, Status = dto.Status, StartDate = dto.StartDate, EndDate = dto.EndDate,
                BudgetAmount = dto.Budget.Amount, BudgetCurrency = dto.Budget.Currency, Sectors = sectors, Locations = locations,
            };
        return (T)e;
    }

    private sealed record ProjectFields(Guid Id, Guid NgoId, string Title, string TitleSearch, string? Description, string? IatiIdentifier, string Status,
        DateOnly StartDate, DateOnly? EndDate, decimal BudgetAmount, string BudgetCurrency, string? LocalPartner,
        IReadOnlyList<SectorDto> Sectors, IReadOnlyList<LocationDto> Locations, int? Expected = null);

    /// <summary>Missing or malformed fields are 400 field errors; values the reference data or the rules refuse are a 422.</summary>
    private static ProjectFields? Validate(ProjectRequest r, ReferenceData reference, ValidationErrors errors)
    {
        errors.Require(r.NgoId is not null, "ngoId", "ngoId is required.");
        var title = r.Title?.Trim();
        errors.Require(!string.IsNullOrEmpty(title) && title.Length <= 500, "title", "title is required, 500 characters or fewer.");
        errors.Require(r.Description is not { Length: > 4000 }, "description", "description must be 4000 characters or fewer.");
        var iati = string.IsNullOrWhiteSpace(r.IatiIdentifier) ? null : r.IatiIdentifier.Trim();
        errors.Require(iati is null || (iati.Length <= 150 && !iati.Any(char.IsWhiteSpace)), "iatiIdentifier", "iatiIdentifier must be an IATI activity identifier of 150 characters or fewer.");
        errors.Require(r.Status is not null, "status", $"status is required: one of {string.Join(", ", Statuses)}.");
        errors.Require(r.StartDate is not null, "startDate", "startDate is required (YYYY-MM-DD).");
        errors.Require(r.LocalPartner is not { Length: > 300 }, "localPartner", "localPartner must be 300 characters or fewer.");
        if (errors.Require(r.Budget is not null, "budget", "budget { amount, currency } is required."))
        {
            errors.Require(r.Budget!.Amount is > 0 and <= 1_000_000_000_000m, "budget.amount", "budget.amount must be more than 0 and at most 10^12.");
            errors.Require(r.Budget.Currency is { Length: 3 } c && c.All(char.IsAsciiLetterUpper), "budget.currency", "budget.currency must be an ISO 4217 code such as USD.");
        }

        if (errors.Require(r.Sectors is { Count: > 0 and <= 50 }, "sectors", "sectors must list 1 to 50 { code, percentage }."))
        {
            for (var i = 0; i < r.Sectors!.Count; i++)
            {
                errors.Require(r.Sectors[i] is { Code.Length: > 0 }, $"sectors[{i}].code", "code is required.");
                errors.Require(r.Sectors[i] is { Percentage: > 0 and <= 100 }, $"sectors[{i}].percentage", "percentage must be more than 0 and at most 100.");
            }

            errors.Require(r.Sectors.Select(s => s?.Code).Distinct().Count() == r.Sectors.Count, "sectors", "Each sector code may appear once.");
        }

        if (errors.Require(r.Locations is { Count: > 0 and <= 100 }, "locations", "locations must list 1 to 100 { provinceCode, percentage }."))
        {
            for (var i = 0; i < r.Locations!.Count; i++)
            {
                errors.Require(r.Locations[i] is { ProvinceCode.Length: > 0 }, $"locations[{i}].provinceCode", "provinceCode is required.");
                errors.Require(r.Locations[i] is { Percentage: > 0 and <= 100 }, $"locations[{i}].percentage", "percentage must be more than 0 and at most 100.");
            }

            errors.Require(r.Locations.Select(l => l?.ProvinceCode).Distinct().Count() == r.Locations.Count, "locations", "Each province code may appear once.");
        }

        if (errors.Any)
        {
            return null;
        }

        var invalid = new ValidationErrors();
        invalid.Require(Statuses.Contains(r.Status!), "status", $"status must be one of {string.Join(", ", Statuses)}.");
        var currency = r.Budget!.Currency!;
        if (invalid.Require(reference.Currencies.MinorUnits.TryGetValue(currency, out var decimals), "budget.currency", $"{currency} is not a currency the platform carries."))
        {
            invalid.Require(decimal.Round(r.Budget.Amount!.Value, decimals) == r.Budget.Amount, "budget.amount", $"{currency} amounts have at most {decimals} decimals.");
        }

        invalid.Require(r.EndDate is null || r.EndDate >= r.StartDate, "endDate", "endDate must not be before startDate.");
        invalid.Require(PlausibleDates.Contains(r.StartDate!.Value), "startDate", "startDate " + PlausibleDates.Message);
        invalid.Require(r.EndDate is not { } end || PlausibleDates.Contains(end), "endDate", "endDate " + PlausibleDates.Message);
        for (var i = 0; i < r.Sectors!.Count; i++)
        {
            invalid.Require(reference.Sectors.CategoryOf.ContainsKey(r.Sectors[i].Code!), $"sectors[{i}].code", $"{r.Sectors[i].Code} is not an active DAC sector code.");
        }

        invalid.Require(r.Sectors.Sum(s => s.Percentage!.Value) == 100m, "sectors", $"Sector percentages sum to {r.Sectors.Sum(s => s.Percentage!.Value)}, not 100.");
        for (var i = 0; i < r.Locations!.Count; i++)
        {
            invalid.Require(reference.Provinces.CurrentOf.ContainsKey(r.Locations[i].ProvinceCode!), $"locations[{i}].provinceCode", $"{r.Locations[i].ProvinceCode} is neither a current nor a former province code.");
        }

        invalid.Require(r.Locations.Sum(l => l.Percentage!.Value) == 100m, "locations", $"Location percentages sum to {r.Locations.Sum(l => l.Percentage!.Value)}, not 100.");
        if (invalid.Any)
        {
            throw new UnprocessableException("The project does not meet the registration rules.") { Errors = invalid.ToDictionary() };
        }

        return new ProjectFields(Guid.Empty, r.NgoId!.Value, title!, SearchText.Fold(title!), r.Description, iati, r.Status!, r.StartDate!.Value, r.EndDate,
            r.Budget.Amount!.Value, currency, string.IsNullOrWhiteSpace(r.LocalPartner) ? null : r.LocalPartner.Trim(),
            r.Sectors.Select(s => new SectorDto(s.Code!, reference.Sectors.CategoryOf[s.Code!], s.Percentage!.Value)).ToList(),
            r.Locations.Select(l => new LocationDto(l.ProvinceCode!, reference.Provinces.CurrentOf[l.ProvinceCode!], l.Percentage!.Value)).ToList());
    }

    /// <summary>The NGO must exist and hold registrations valid on the start date that cover every location.</summary>
    private static async Task CheckAgainstRegistrations(NpgsqlConnection connection, NpgsqlTransaction transaction, ProjectFields project)
    {
        const string sql = """
            select exists (select 1 from ngos where id = @NgoId);
            select distinct unnest(current_province_codes) from registrations
            where ngo_id = @NgoId and issued_on <= @StartDate and expires_on >= @StartDate;
            """;
        await using var grid = await connection.QueryMultipleAsync(sql, new { project.NgoId, project.StartDate }, transaction);
        if (!await grid.ReadSingleAsync<bool>())
        {
            throw new UnprocessableException($"NGO {project.NgoId} does not exist.") { Errors = new Dictionary<string, string[]> { ["ngoId"] = ["Unknown NGO."] } };
        }

        var covered = (await grid.ReadAsync<string>()).ToHashSet(StringComparer.Ordinal);
        if (covered.Count == 0)
        {
            throw new UnprocessableException($"The NGO holds no registration certificate valid on {project.StartDate:yyyy-MM-dd}.")
            {
                Errors = new Dictionary<string, string[]> { ["startDate"] = ["No registration valid on this date."] },
            };
        }

        var uncovered = project.Locations.Where(l => !covered.Contains(l.CurrentProvinceCode)).Select(l => l.ProvinceCode).ToList();
        if (uncovered.Count > 0)
        {
            throw new UnprocessableException($"The NGO's registrations valid on {project.StartDate:yyyy-MM-dd} do not cover provinces {string.Join(", ", uncovered)}.")
            {
                Errors = new Dictionary<string, string[]> { ["locations"] = [$"Not covered by a registration: {string.Join(", ", uncovered)}."] },
            };
        }
    }

    private static async Task WriteShares(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, ProjectFields project)
    {
        const string sql = """
            insert into project_sectors (project_id, code, category_code, percentage)
            select @Id, * from unnest(@SectorCodes, @Categories, @SectorPercentages);
            insert into project_locations (project_id, province_code, current_province_code, percentage)
            select @Id, * from unnest(@ProvinceCodes, @CurrentCodes, @LocationPercentages);
            """;
        await connection.ExecuteAsync(sql, new
        {
            Id = id,
            SectorCodes = project.Sectors.Select(s => s.Code).ToArray(),
            Categories = project.Sectors.Select(s => s.CategoryCode).ToArray(),
            SectorPercentages = project.Sectors.Select(s => s.Percentage).ToArray(),
            ProvinceCodes = project.Locations.Select(l => l.ProvinceCode).ToArray(),
            CurrentCodes = project.Locations.Select(l => l.CurrentProvinceCode).ToArray(),
            LocationPercentages = project.Locations.Select(l => l.Percentage).ToArray(),
        }, transaction);
    }

    private sealed class ProjectRow
    {
        public Guid Id { get; init; }
        public Guid NgoId { get; init; }
        public string Title { get; init; } = "";
        public string? Description { get; init; }
        public string? IatiIdentifier { get; init; }
        public string Status { get; init; } = "";
        public DateOnly StartDate { get; init; }
        public DateOnly? EndDate { get; init; }
        public decimal BudgetAmount { get; init; }
        public string BudgetCurrency { get; init; } = "";
        public string? LocalPartner { get; init; }
        public int Version { get; init; }
        public DateTime CreatedAt { get; init; }
        public DateTime UpdatedAt { get; init; }
    }

    private sealed class OverlapRow
    {
        public Guid ProjectId { get; init; }
        public Guid NgoId { get; init; }
        public string Title { get; init; } = "";
        public string Status { get; init; } = "";
        public DateOnly StartDate { get; init; }
        public DateOnly? EndDate { get; init; }
        public string[] SharedProvinceCodes { get; init; } = [];
        public string[] SharedSectorCategories { get; init; } = [];
        public long Total { get; init; }
    }
}
