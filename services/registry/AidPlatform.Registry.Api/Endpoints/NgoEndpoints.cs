using AidPlatform.ServiceDefaults.Validation;
using System.ComponentModel.DataAnnotations;
using System.Net.Mail;
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

/// <summary>Foreign NGOs: who they are. Their status is derived from their registration certificates.</summary>
public static class NgoEndpoints
{
    public static IEndpointRouteBuilder MapNgoEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/ngos").WithTags("NGOs");
        group.MapPost("/", RegisterNgo).WithName("RegisterNgo").RequireAuthorization(Policies.Ministry)
            .WithSummary("Enters an NGO. A duplicate iatiOrgRef, or the same name and country, is a 409.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status409Conflict).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/", ListNgos).WithName("ListNgos")
            .WithSummary("NGOs by name (case and diacritics ignored), country and status.")
            .ProducesValidationProblem();
        group.MapGet("/{id:guid}", GetNgo).WithName("GetNgo")
            .WithSummary("One NGO, with its ETag.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/{id:guid}", UpdateNgo).WithName("UpdateNgo").RequireMinistryOnOwnedObject("NGO", (_, ngo) => Task.FromResult<Guid?>(ngo))
            .WithSummary("Replaces an NGO's details. If-Match with a stale ETag is a 412.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return routes;
    }

    public sealed record NgoRequest([property: Required, StringLength(300, MinimumLength = 1)] string? Name, string? Acronym,
        [property: Required, RegularExpression("^[A-Z]{2}$")] string? CountryOfOrigin, string? IatiOrgRef, string? Website, string? Email);

    public sealed record NgoDto(Guid Id, string Name, string? Acronym, string CountryOfOrigin, string? IatiOrgRef, string? Website, string? Email,
        [property: AllowedValues("active", "expired", "unregistered")] string Status, int Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

    /// <summary>active: a registration valid today (in Vietnam); expired: only past ones; unregistered: none.</summary>
    internal const string StatusSql = """
        case when exists (select 1 from registrations r where r.ngo_id = n.id
                          and r.issued_on <= (now() at time zone 'Asia/Ho_Chi_Minh')::date
                          and r.expires_on >= (now() at time zone 'Asia/Ho_Chi_Minh')::date) then 'active'
             when exists (select 1 from registrations r where r.ngo_id = n.id) then 'expired'
             else 'unregistered' end
        """;

    private const string SelectNgo = $"""
        select n.id, n.name, n.acronym, n.country_of_origin, n.iati_org_ref, n.website, n.email,
               {StatusSql} as status, n.version, n.created_at, n.updated_at
        from ngos n
        """;

    internal static async Task<Created<NgoDto>> RegisterNgo(
        NgoRequest request, HttpResponse response, NpgsqlDataSource db, ReferenceData reference, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var ngo = Validate(request, reference, errors) ?? throw errors.Refusal();

        const string insert = """
            insert into ngos (id, version, name, name_search, acronym, country_of_origin, iati_org_ref, website, email)
            values (@Id, 1, @Name, @NameSearch, @Acronym, @CountryOfOrigin, @IatiOrgRef, @Website, @Email)
            """;
        var id = Guid.CreateVersion7();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Unique(() => connection.ExecuteAsync(insert, ngo with { Id = id }, transaction));
        var dto = (await Find(connection, transaction, id))!;
        await transaction.Enqueue(Guid.CreateVersion7(), ToEvent<NgoRegistered>(dto));
        await transaction.CommitAsync(cancellationToken);
        response.Headers.ETag = ETags.For(dto.Version);
        return TypedResults.Created($"/api/v1/ngos/{id}", dto);
    }

    internal static async Task<Ok<Paged<NgoDto>>> ListNgos(
        ClaimsPrincipal user, NpgsqlDataSource db, string? q, string? country, [AllowedValues("active", "expired", "unregistered")] string? status, [Range(1, 1_000_000)] int? page, [Range(1, PageRequest.MaxPageSize)] int? pageSize, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var paging = PageRequest.From(page, pageSize, errors);
        if (country is not null && !IsCountryFormat(country))
        {
            errors.Add("country", "country must be an ISO 3166-1 alpha-2 code such as NO.");
        }

        if (q is { Length: > 200 })
        {
            errors.Add("q", "q must be 200 characters or fewer.");
        }

        errors.ThrowIfAny();

        const string sql = $"""
            select x.*, count(*) over () as total from (
                {SelectNgo}
                where (@Q::text is null or n.name_search like @Q or lower(coalesce(n.acronym, '')) like @Q)
                  and (@Country::text is null or n.country_of_origin = @Country)
                  and (@OwnNgo::uuid is null or n.id = @OwnNgo)
            ) x
            where (@Status::text is null or x.status = @Status)
            order by x.name, x.id
            limit @Limit offset @Offset
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<NgoRow>(sql, new
        {
            Q = string.IsNullOrWhiteSpace(q) ? null : SearchText.Contains(q),
            Country = country,
            Status = status,
            OwnNgo = user.PartnerNgo(),
            Limit = paging.PageSize,
            paging.Offset,
        })).AsList();
        return TypedResults.Ok(new Paged<NgoDto>(rows.Select(r => r.ToDto()).ToList(), paging.Page, paging.PageSize, rows.Count > 0 ? rows[0].Total : 0));
    }

    internal static async Task<Ok<NgoDto>> GetNgo(Guid id, ClaimsPrincipal user, HttpResponse response, NpgsqlDataSource db, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var dto = (user.MaySee(id) ? await Find(connection, null, id) : null) ?? throw new NotFoundException($"NGO {id} does not exist.");
        response.Headers.ETag = ETags.For(dto.Version);
        return TypedResults.Ok(dto);
    }

    internal static async Task<Ok<NgoDto>> UpdateNgo(
        Guid id, NgoRequest request, HttpRequest http, HttpResponse response, NpgsqlDataSource db, ReferenceData reference, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        var ngo = Validate(request, reference, errors) ?? throw errors.Refusal();

        const string update = """
            update ngos set version = version + 1, name = @Name, name_search = @NameSearch, acronym = @Acronym,
                country_of_origin = @CountryOfOrigin, iati_org_ref = @IatiOrgRef, website = @Website, email = @Email, updated_at = now()
            where id = @Id and (@Expected::int is null or version = @Expected)
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var expected = ETags.ExpectedVersion(http);
        var updated = await Unique(() => connection.ExecuteAsync(update, new
        {
            ngo.Name, ngo.NameSearch, ngo.Acronym, ngo.CountryOfOrigin, ngo.IatiOrgRef, ngo.Website, ngo.Email, Id = id, Expected = expected,
        }, transaction));
        if (updated == 0)
        {
            var current = await Find(connection, transaction, id) ?? throw new NotFoundException($"NGO {id} does not exist.");
            throw new PreconditionFailedException($"If-Match {http.Headers.IfMatch} is stale; the current ETag is {ETags.For(current.Version)}.");
        }

        var dto = (await Find(connection, transaction, id))!;
        await transaction.Enqueue(Guid.CreateVersion7(), ToEvent<NgoUpdated>(dto));
        await transaction.CommitAsync(cancellationToken);
        response.Headers.ETag = ETags.For(dto.Version);
        return TypedResults.Ok(dto);
    }

    internal static async Task<NgoDto?> Find(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid id) =>
        (await connection.QuerySingleOrDefaultAsync<NgoRow>($"{SelectNgo} where n.id = @id", new { id }, transaction))?.ToDto();

    /// <summary>The event of either kind carries the NGO's full state.</summary>
    internal static T ToEvent<T>(NgoDto dto) where T : class
    {
        object e = typeof(T) == typeof(NgoRegistered)
            ? new NgoRegistered
            {
                EventId = Guid.CreateVersion7(), OccurredAt = DateTimeOffset.UtcNow, NgoId = dto.Id, Version = dto.Version, Name = dto.Name, Acronym = dto.Acronym,
                CountryOfOrigin = dto.CountryOfOrigin, IatiOrgRef = dto.IatiOrgRef, Website = dto.Website, Email = dto.Email, Status = dto.Status,
            }
            : new NgoUpdated
            {
                EventId = Guid.CreateVersion7(), OccurredAt = DateTimeOffset.UtcNow, NgoId = dto.Id, Version = dto.Version, Name = dto.Name, Acronym = dto.Acronym,
                CountryOfOrigin = dto.CountryOfOrigin, IatiOrgRef = dto.IatiOrgRef, Website = dto.Website, Email = dto.Email, Status = dto.Status,
            };
        return (T)e;
    }

    private sealed record NgoFields(Guid Id, string Name, string NameSearch, string? Acronym, string CountryOfOrigin, string? IatiOrgRef, string? Website, string? Email);

    /// <summary>Missing or malformed fields are 400 field errors; an unknown country is a 422.</summary>
    private static NgoFields? Validate(NgoRequest request, ReferenceData reference, ValidationErrors errors)
    {
        var name = request.Name?.Trim();
        if (errors.Require(!string.IsNullOrEmpty(name), "name", "name is required."))
        {
            errors.Require(name!.Length <= 300, "name", "name must be 300 characters or fewer.");
        }

        var acronym = Blank(request.Acronym);
        errors.Require(acronym is not { Length: > 50 }, "acronym", "acronym must be 50 characters or fewer.");
        if (errors.Require(request.CountryOfOrigin is not null, "countryOfOrigin", "countryOfOrigin is required."))
        {
            errors.Require(IsCountryFormat(request.CountryOfOrigin!), "countryOfOrigin", "countryOfOrigin must be an ISO 3166-1 alpha-2 code such as NO.");
        }

        var iatiOrgRef = Blank(request.IatiOrgRef);
        errors.Require(iatiOrgRef is null || (iatiOrgRef.Length <= 100 && !iatiOrgRef.Any(char.IsWhiteSpace)), "iatiOrgRef",
            "iatiOrgRef must be an IATI organisation identifier (such as GB-CHC-202918) of 100 characters or fewer.");
        var website = Blank(request.Website);
        errors.Require(website is null || (website.Length <= 500 && Uri.TryCreate(website, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"),
            "website", "website must be an absolute http or https URL.");
        var email = Blank(request.Email);
        errors.Require(email is null || (email.Length <= 320 && MailAddress.TryCreate(email, out _)), "email", "email must be an email address.");
        if (errors.Any)
        {
            return null;
        }

        if (!Countries.Codes.Contains(request.CountryOfOrigin!))
        {
            throw new UnprocessableException($"{request.CountryOfOrigin} is not an ISO 3166-1 country.")
            {
                Errors = new Dictionary<string, string[]> { ["countryOfOrigin"] = ["Unknown country code."] },
            };
        }

        return new NgoFields(Guid.Empty, name!, SearchText.Fold(name!), acronym, request.CountryOfOrigin!, iatiOrgRef, website, email);
    }

    private static bool IsCountryFormat(string value) => value.Length == 2 && value.All(char.IsAsciiLetterUpper);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>Runs a write; a unique violation (also under a race) becomes the 409 naming what clashed.</summary>
    internal static async Task<int> Unique(Func<Task<int>> write)
    {
        try
        {
            return await write();
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            throw new ConflictException(e.ConstraintName switch
            {
                "ngos_iati_org_ref" => "An NGO with this iatiOrgRef is already registered.",
                "ngos_name_country" => "An NGO with this name and country of origin is already registered.",
                "registrations_certificate_number_key" => "A registration with this certificateNumber is already recorded.",
                "projects_iati_identifier" => "A project with this iatiIdentifier is already registered.",
                _ => "The request clashes with an existing record.",
            });
        }
    }

    private sealed class NgoRow
    {
        public Guid Id { get; init; }
        public string Name { get; init; } = "";
        public string? Acronym { get; init; }
        public string CountryOfOrigin { get; init; } = "";
        public string? IatiOrgRef { get; init; }
        public string? Website { get; init; }
        public string? Email { get; init; }
        public string Status { get; init; } = "";
        public int Version { get; init; }
        public DateTime CreatedAt { get; init; }
        public DateTime UpdatedAt { get; init; }
        public long Total { get; init; }

        public NgoDto ToDto() => new(Id, Name, Acronym, CountryOfOrigin, IatiOrgRef, Website, Email, Status, Version,
            new DateTimeOffset(CreatedAt, TimeSpan.Zero), new DateTimeOffset(UpdatedAt, TimeSpan.Zero));
    }
}
