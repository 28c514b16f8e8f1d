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

/// <summary>Registration certificates under Decree 58/2022/ND-CP: where and until when an NGO may operate.</summary>
public static class RegistrationEndpoints
{
    public static IEndpointRouteBuilder MapRegistrationEndpoints(this IEndpointRouteBuilder routes)
    {
        var ngos = routes.MapGroup("/api/v1/ngos/{id:guid}/registrations").WithTags("Registrations");
        ngos.MapPost("/", RecordRegistration).WithName("RecordRegistration").RequireMinistryOnOwnedObject("NGO", (_, ngo) => Task.FromResult<Guid?>(ngo))
            .WithSummary("Records a certificate: operation at most 3 years, representative office at most 5; a duplicate certificateNumber is a 409.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        ngos.MapGet("/", ListNgoRegistrations).WithName("ListNgoRegistrations")
            .WithSummary("An NGO's certificates, newest first.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        var registrations = routes.MapGroup("/api/v1/registrations").WithTags("Registrations");
        registrations.MapGet("/", ListRegistrations).WithName("ListRegistrations")
            .WithSummary("Certificates, or with expiringWithinDays those still valid that expire within that many days, soonest first.")
            .ProducesValidationProblem();
        registrations.MapGet("/{id:guid}", GetRegistration).WithName("GetRegistration")
            .WithSummary("One certificate: where a new registration's Location points.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return routes;
    }

    public sealed record RegistrationRequest([property: Required, AllowedValues("operation", "representative-office")] string? Kind,
        [property: Required, StringLength(100, MinimumLength = 1)] string? CertificateNumber, [property: Required] DateOnly? IssuedOn, [property: Required] DateOnly? ExpiresOn,
        [property: Required, MinLength(1), MaxLength(100)] List<string>? ProvinceCodes, [property: Required, MinLength(1), MaxLength(100)] List<string>? SectorCategories);

    public sealed record RegistrationDto(Guid Id, Guid NgoId, [property: AllowedValues("operation", "representative-office")] string Kind, string CertificateNumber, DateOnly IssuedOn, DateOnly ExpiresOn,
        IReadOnlyList<string> ProvinceCodes, IReadOnlyList<string> CurrentProvinceCodes, IReadOnlyList<string> SectorCategories, DateTimeOffset CreatedAt);

    private const string SelectRegistration = """
        select id, ngo_id, kind, certificate_number, issued_on, expires_on, province_codes, current_province_codes, sector_categories, created_at
        from registrations
        """;

    internal static async Task<Created<RegistrationDto>> RecordRegistration(
        Guid id, RegistrationRequest request, NpgsqlDataSource db, ReferenceData reference, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var kind = request.Kind;
        errors.Require(kind is not null, "kind", "kind is required: operation or representative-office.");
        var number = request.CertificateNumber?.Trim();
        errors.Require(!string.IsNullOrEmpty(number) && number.Length <= 100, "certificateNumber", "certificateNumber is required, 100 characters or fewer.");
        errors.Require(request.IssuedOn is not null, "issuedOn", "issuedOn is required (YYYY-MM-DD).");
        errors.Require(request.ExpiresOn is not null, "expiresOn", "expiresOn is required (YYYY-MM-DD).");
        errors.Require(request.ProvinceCodes is { Count: > 0 and <= 100 }, "provinceCodes", "provinceCodes must list 1 to 100 province codes.");
        errors.Require(request.SectorCategories is { Count: > 0 and <= 100 }, "sectorCategories", "sectorCategories must list 1 to 100 DAC 3-digit categories.");
        errors.ThrowIfAny();

        var (issued, expires) = (request.IssuedOn!.Value, request.ExpiresOn!.Value);
        var years = kind == "operation" ? 3 : 5;
        var invalid = new ValidationErrors();
        invalid.Require(kind is "operation" or "representative-office", "kind", "kind must be one of operation, representative-office.");
        invalid.Require(expires > issued, "expiresOn", "expiresOn must be after issuedOn.");
        invalid.Require(PlausibleDates.Contains(issued), "issuedOn", "issuedOn " + PlausibleDates.Message);
        invalid.Require(PlausibleDates.Contains(expires), "expiresOn", "expiresOn " + PlausibleDates.Message);
        // Decree 58/2022/ND-CP: an operation certificate runs at most 3 years, a representative office's at most 5.
        invalid.Require(!PlausibleDates.Contains(issued) || expires <= issued.AddYears(years), "expiresOn", $"A {kind} certificate runs at most {years} years (Decree 58/2022/ND-CP).");
        var unknownProvinces = request.ProvinceCodes!.Where(c => c is null || !reference.Provinces.CurrentOf.ContainsKey(c)).ToList();
        invalid.Require(unknownProvinces.Count == 0, "provinceCodes", $"Unknown province codes: {string.Join(", ", unknownProvinces)}.");
        var unknownCategories = request.SectorCategories!.Where(c => c is null || !reference.Sectors.Categories.Contains(c)).ToList();
        invalid.Require(unknownCategories.Count == 0, "sectorCategories", $"Unknown DAC sector categories: {string.Join(", ", unknownCategories)}.");
        if (invalid.Any)
        {
            throw new UnprocessableException("The certificate does not meet the registration rules.") { Errors = invalid.ToDictionary() };
        }

        var given = request.ProvinceCodes!.Distinct().ToArray();
        var current = given.Select(c => reference.Provinces.CurrentOf[c]).Distinct().Order(StringComparer.Ordinal).ToArray();
        var categories = request.SectorCategories!.Distinct().Order(StringComparer.Ordinal).ToArray();

        const string insert = """
            insert into registrations (id, ngo_id, kind, certificate_number, issued_on, expires_on, province_codes, current_province_codes, sector_categories)
            values (@Id, @NgoId, @Kind, @CertificateNumber, @IssuedOn, @ExpiresOn, @ProvinceCodes, @CurrentProvinceCodes, @SectorCategories)
            """;
        var registrationId = Guid.CreateVersion7();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Locks the NGO row, so two certificates recorded at once both see each other in the status.
        _ = await connection.ExecuteScalarAsync<Guid?>("select id from ngos where id = @id for update", new { id }, transaction)
            ?? throw new NotFoundException($"NGO {id} does not exist.");
        await NgoEndpoints.Unique(() => connection.ExecuteAsync(insert, new
        {
            Id = registrationId, NgoId = id, Kind = kind, CertificateNumber = number, IssuedOn = issued, ExpiresOn = expires,
            ProvinceCodes = given, CurrentProvinceCodes = current, SectorCategories = categories,
        }, transaction));
        var dto = (await connection.QuerySingleAsync<RegistrationRow>($"{SelectRegistration} where id = @registrationId", new { registrationId }, transaction)).ToDto();
        var ngo = (await NgoEndpoints.Find(connection, transaction, id))!;
        await transaction.Enqueue(Guid.CreateVersion7(), new RegistrationRecorded
        {
            EventId = Guid.CreateVersion7(), OccurredAt = DateTimeOffset.UtcNow, RegistrationId = registrationId, NgoId = id, Kind = dto.Kind,
            CertificateNumber = dto.CertificateNumber, IssuedOn = issued, ExpiresOn = expires, ProvinceCodes = current, SectorCategories = categories, NgoStatus = ngo.Status,
        });
        await transaction.CommitAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/registrations/{registrationId}", dto);
    }

    internal static async Task<Ok<RegistrationDto>> GetRegistration(Guid id, ClaimsPrincipal user, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<RegistrationRow>($"{SelectRegistration} where id = @id", new { id });
        return TypedResults.Ok(row is not null && user.MaySee(row.NgoId) ? row.ToDto() : throw new NotFoundException($"Registration {id} does not exist."));
    }

    internal static async Task<Ok<Paged<RegistrationDto>>> ListNgoRegistrations(
        Guid id, ClaimsPrincipal user, NpgsqlDataSource db, [Range(1, 1_000_000)] int? page, [Range(1, PageRequest.MaxPageSize)] int? pageSize, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var paging = PageRequest.From(page, pageSize, errors);
        errors.ThrowIfAny();

        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        if (!user.MaySee(id) || !await connection.ExecuteScalarAsync<bool>("select exists (select 1 from ngos where id = @id)", new { id }))
        {
            throw new NotFoundException($"NGO {id} does not exist.");
        }

        const string sql = """
            select id, ngo_id, kind, certificate_number, issued_on, expires_on, province_codes, current_province_codes, sector_categories, created_at,
                   count(*) over () as total
            from registrations
            where ngo_id = @id
            order by issued_on desc, id
            limit @Limit offset @Offset
            """;
        var rows = (await connection.QueryAsync<RegistrationRow>(sql, new { id, Limit = paging.PageSize, paging.Offset })).AsList();
        return TypedResults.Ok(new Paged<RegistrationDto>(rows.Select(r => r.ToDto()).ToList(), paging.Page, paging.PageSize, rows.Count > 0 ? rows[0].Total : 0));
    }

    internal static async Task<Ok<Paged<RegistrationDto>>> ListRegistrations(
        ClaimsPrincipal user, NpgsqlDataSource db, int? expiringWithinDays, [Range(1, 1_000_000)] int? page, [Range(1, PageRequest.MaxPageSize)] int? pageSize, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var paging = PageRequest.From(page, pageSize, errors);
        errors.Require(expiringWithinDays is null or (>= 0 and <= 3650), "expiringWithinDays", "expiringWithinDays must be between 0 and 3650.");
        errors.ThrowIfAny();

        const string sql = """
            select id, ngo_id, kind, certificate_number, issued_on, expires_on, province_codes, current_province_codes, sector_categories, created_at,
                   count(*) over () as total
            from registrations, lateral (select (now() at time zone 'Asia/Ho_Chi_Minh')::date as today) t
            where (@OwnNgo::uuid is null or ngo_id = @OwnNgo)
              and (@Days::int is null
                   or (issued_on <= t.today and expires_on >= t.today and expires_on <= t.today + @Days::int))
            order by expires_on, id
            limit @Limit offset @Offset
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<RegistrationRow>(sql, new { Days = expiringWithinDays, OwnNgo = user.PartnerNgo(), Limit = paging.PageSize, paging.Offset })).AsList();
        return TypedResults.Ok(new Paged<RegistrationDto>(rows.Select(r => r.ToDto()).ToList(), paging.Page, paging.PageSize, rows.Count > 0 ? rows[0].Total : 0));
    }

    private sealed class RegistrationRow
    {
        public Guid Id { get; init; }
        public Guid NgoId { get; init; }
        public string Kind { get; init; } = "";
        public string CertificateNumber { get; init; } = "";
        public DateOnly IssuedOn { get; init; }
        public DateOnly ExpiresOn { get; init; }
        public string[] ProvinceCodes { get; init; } = [];
        public string[] CurrentProvinceCodes { get; init; } = [];
        public string[] SectorCategories { get; init; } = [];
        public DateTime CreatedAt { get; init; }
        public long Total { get; init; }

        public RegistrationDto ToDto() => new(Id, NgoId, Kind, CertificateNumber, IssuedOn, ExpiresOn, ProvinceCodes, CurrentProvinceCodes, SectorCategories,
            new DateTimeOffset(CreatedAt, TimeSpan.Zero));
    }
}
