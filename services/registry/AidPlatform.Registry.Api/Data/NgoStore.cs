using AidPlatform.Registry.Api.Domain;
using AidPlatform.Registry.Api.Messaging;
using AidPlatform.ServiceDefaults.Data;
using AidPlatform.ServiceDefaults.Errors;
using AidPlatform.ServiceDefaults.Http;
using AidPlatform.ServiceDefaults.Messaging;
using Dapper;
using Npgsql;

namespace AidPlatform.Registry.Api.Data;

/// <summary>NGOs: every write commits with its event in the outbox.</summary>
public sealed class NgoStore(NpgsqlDataSource db)
{
    /// <summary>
    /// active: a registration valid today (in Vietnam: within its dates, neither suspended nor revoked); expired: none
    /// valid today (past, suspended or revoked ones only); unregistered: none.
    /// </summary>
    private const string StatusSql = """
        case when exists (select 1 from registrations r where r.ngo_id = n.id and r.status = 'valid'
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

    public async Task<NgoDto> Register(NgoFields ngo, CancellationToken cancellationToken)
    {
        const string insert = """
            insert into ngos (id, version, name, name_search, acronym, country_of_origin, iati_org_ref, website, email)
            values (@Id, 1, @Name, @NameSearch, @Acronym, @CountryOfOrigin, @IatiOrgRef, @Website, @Email)
            """;
        var id = Guid.CreateVersion7();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await UniqueViolations.AsConflict(() => connection.ExecuteAsync(insert, Parameters(id, ngo), transaction), Constraints.Messages);
        var dto = (await Find(connection, transaction, id))!;
        await transaction.Enqueue(Guid.CreateVersion7(), RegistryEvents.NgoRegistered(dto));
        await transaction.CommitAsync(cancellationToken);
        return dto;
    }

    /// <summary>Replaces an NGO's details when <paramref name="expected"/> is null or its current version.</summary>
    public async Task<NgoDto> Update(Guid id, NgoFields ngo, int? expected, CancellationToken cancellationToken)
    {
        const string update = """
            update ngos set version = version + 1, name = @Name, name_search = @NameSearch, acronym = @Acronym,
                country_of_origin = @CountryOfOrigin, iati_org_ref = @IatiOrgRef, website = @Website, email = @Email, updated_at = now()
            where id = @Id
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var version = await connection.QuerySingleOrDefaultAsync<int?>("select version from ngos where id = @id for update", new { id }, transaction)
            ?? throw new NotFoundException($"NGO {id} does not exist.");
        ETags.Check(expected, version);
        await UniqueViolations.AsConflict(() => connection.ExecuteAsync(update, Parameters(id, ngo), transaction), Constraints.Messages);
        var dto = (await Find(connection, transaction, id))!;
        await transaction.Enqueue(Guid.CreateVersion7(), RegistryEvents.NgoUpdated(dto));
        await transaction.CommitAsync(cancellationToken);
        return dto;
    }

    public async Task<NgoDto?> Find(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await Find(connection, null, id);
    }

    public async Task<bool> Exists(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<bool>("select exists (select 1 from ngos where id = @id)", new { id });
    }

    public async Task<Paged<NgoDto>> List(NgoQuery query, PageRequest paging, CancellationToken cancellationToken)
    {
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
            Q = string.IsNullOrWhiteSpace(query.Q) ? null : SearchText.Contains(query.Q),
            query.Country,
            query.Status,
            query.OwnNgo,
            Limit = paging.PageSize,
            paging.Offset,
        })).AsList();
        return new Paged<NgoDto>(rows.Select(r => r.ToDto()).ToList(), paging.Page, paging.PageSize, rows.Count > 0 ? rows[0].Total : 0);
    }

    /// <summary>An NGO as of the transaction, status included: what its events carry.</summary>
    internal static async Task<NgoDto?> Find(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid id) =>
        (await connection.QuerySingleOrDefaultAsync<NgoRow>($"{SelectNgo} where n.id = @id", new { id }, transaction))?.ToDto();

    private static object Parameters(Guid id, NgoFields ngo) => new
    {
        Id = id, ngo.Name, ngo.NameSearch, ngo.Acronym, ngo.CountryOfOrigin, ngo.IatiOrgRef, ngo.Website, ngo.Email,
    };

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
