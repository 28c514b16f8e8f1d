using AidPlatform.Registry.Api.Domain;
using AidPlatform.Registry.Api.Messaging;
using AidPlatform.ServiceDefaults.Data;
using AidPlatform.ServiceDefaults.Errors;
using AidPlatform.ServiceDefaults.Http;
using AidPlatform.ServiceDefaults.Messaging;
using Dapper;
using Npgsql;

namespace AidPlatform.Registry.Api.Data;

/// <summary>Registration certificates: recorded once, never changed.</summary>
public sealed class RegistrationStore(NpgsqlDataSource db)
{
    private const string SelectRegistration = """
        select id, ngo_id, kind, certificate_number, issued_on, expires_on, province_codes, current_province_codes, sector_categories, created_at,
               count(*) over () as total
        from registrations
        """;

    public async Task<RegistrationDto> Record(Guid ngoId, RegistrationFields registration, CancellationToken cancellationToken)
    {
        const string insert = """
            insert into registrations (id, ngo_id, kind, certificate_number, issued_on, expires_on, province_codes, current_province_codes, sector_categories)
            values (@Id, @NgoId, @Kind, @CertificateNumber, @IssuedOn, @ExpiresOn, @ProvinceCodes, @CurrentProvinceCodes, @SectorCategories)
            """;
        var id = Guid.CreateVersion7();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // Locks the NGO row, so two certificates recorded at once both see each other in the status.
        _ = await connection.ExecuteScalarAsync<Guid?>("select id from ngos where id = @ngoId for update", new { ngoId }, transaction)
            ?? throw new NotFoundException($"NGO {ngoId} does not exist.");
        await UniqueViolations.AsConflict(() => connection.ExecuteAsync(insert, new
        {
            Id = id, NgoId = ngoId, registration.Kind, registration.CertificateNumber, registration.IssuedOn, registration.ExpiresOn,
            registration.ProvinceCodes, registration.CurrentProvinceCodes, registration.SectorCategories,
        }, transaction), Constraints.Messages);
        var dto = (await connection.QuerySingleAsync<RegistrationRow>($"{SelectRegistration} where id = @id", new { id }, transaction)).ToDto();
        var ngo = (await NgoStore.Find(connection, transaction, ngoId))!;
        await transaction.Enqueue(Guid.CreateVersion7(), RegistryEvents.RegistrationRecorded(dto, ngo.Status));
        await transaction.CommitAsync(cancellationToken);
        return dto;
    }

    public async Task<RegistrationDto?> Find(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return (await connection.QuerySingleOrDefaultAsync<RegistrationRow>($"{SelectRegistration} where id = @id", new { id }))?.ToDto();
    }

    /// <summary>An NGO's certificates, newest first.</summary>
    public async Task<Paged<RegistrationDto>> ListForNgo(Guid ngoId, PageRequest paging, CancellationToken cancellationToken)
    {
        const string sql = $"""
            {SelectRegistration}
            where ngo_id = @ngoId
            order by issued_on desc, id
            limit @Limit offset @Offset
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return Page(await connection.QueryAsync<RegistrationRow>(sql, new { ngoId, Limit = paging.PageSize, paging.Offset }), paging);
    }

    /// <summary>Certificates (a partner's own only), or those valid today that expire within the window, soonest first.</summary>
    public async Task<Paged<RegistrationDto>> List(int? expiringWithinDays, Guid? ownNgo, PageRequest paging, CancellationToken cancellationToken)
    {
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
        return Page(await connection.QueryAsync<RegistrationRow>(sql, new { Days = expiringWithinDays, OwnNgo = ownNgo, Limit = paging.PageSize, paging.Offset }), paging);
    }

    private static Paged<RegistrationDto> Page(IEnumerable<RegistrationRow> rows, PageRequest paging)
    {
        var list = rows.AsList();
        return new Paged<RegistrationDto>(list.Select(r => r.ToDto()).ToList(), paging.Page, paging.PageSize, list.Count > 0 ? list[0].Total : 0);
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
