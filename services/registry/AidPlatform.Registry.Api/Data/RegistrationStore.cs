using System.Text.Json;
using AidPlatform.Registry.Api.Domain;
using AidPlatform.Registry.Api.Messaging;
using AidPlatform.ServiceDefaults.Data;
using AidPlatform.ServiceDefaults.Errors;
using AidPlatform.ServiceDefaults.Http;
using AidPlatform.ServiceDefaults.Messaging;
using Dapper;
using Npgsql;

namespace AidPlatform.Registry.Api.Data;

/// <summary>
/// Registration certificates: recorded, then amended, extended, suspended, reinstated or revoked. Every write
/// commits with its history entry and its event in the outbox.
/// </summary>
public sealed class RegistrationStore(NpgsqlDataSource db, ApprovalStore approvals)
{
    /// <summary>The condition on a certificate <c>r</c> that it is valid on <c>@day</c>: in date, and neither suspended nor revoked that day.</summary>
    internal const string ValidOnDay = """
        r.issued_on <= @day and r.expires_on >= @day
        and not exists (select 1 from registration_interruptions i
                        where i.registration_id = r.id and i.from_on <= @day and (i.until_on is null or @day < i.until_on))
        """;

    private const string Columns = """
        id, ngo_id, kind, certificate_number, issued_on, expires_on, province_codes, current_province_codes, sector_categories, created_at,
        status, version
        """;

    private const string SelectRegistration = $"""
        select {Columns}, count(*) over () as total
        from registrations
        """;

    private const string InsertHistory = """
        insert into registration_history (registration_id, version, action, from_status, to_status, before, after, reason, effective_on,
                                          actor_subject, actor_role, actor_ngo_id)
        values (@RegistrationId, @Version, @Action, @FromStatus, @ToStatus, @Before::jsonb, @After::jsonb, @Reason, @EffectiveOn,
                @ActorSubject, @ActorRole, @ActorNgoId)
        """;

    public async Task<RegistrationDto> Record(Guid ngoId, RegistrationFields registration, Actor actor, CancellationToken cancellationToken)
    {
        const string insert = """
            insert into registrations (id, ngo_id, kind, certificate_number, issued_on, expires_on, province_codes, current_province_codes, sector_categories,
                                       status, version)
            values (@Id, @NgoId, @Kind, @CertificateNumber, @IssuedOn, @ExpiresOn, @ProvinceCodes, @CurrentProvinceCodes, @SectorCategories, 'valid', 1)
            """;
        ArgumentNullException.ThrowIfNull(registration);
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
        var dto = (await Load(connection, transaction, [id])).Single();
        await WriteHistory(connection, transaction, dto, CertificateLife.Record, null, null, new CertificateChange(CertificateLife.Record, "", dto.IssuedOn), actor);
        var ngo = (await NgoStore.Find(connection, transaction, ngoId))!;
        await transaction.Enqueue(Guid.CreateVersion7(), RegistryEvents.RegistrationRecorded(dto, ngo.Status));
        await transaction.CommitAsync(cancellationToken);
        return dto;
    }

    /// <summary>
    /// Applies an action to a certificate. The NGO and certificate rows are locked first, so two actions at once
    /// serialise and the second is judged against the state the first left (a 409 if no longer allowed).
    /// </summary>
    public async Task<RegistrationDto> Act(Guid id, CertificateChange change, Actor actor, CancellationToken cancellationToken)
    {
        const string update = """
            update registrations set version = version + 1, status = @Status, expires_on = @ExpiresOn, province_codes = @ProvinceCodes,
                current_province_codes = @CurrentProvinceCodes, sector_categories = @SectorCategories
            where id = @Id
            """;
        const string replaceInterruptions = """
            delete from registration_interruptions where registration_id = @Id;
            insert into registration_interruptions (registration_id, seq, kind, from_on, until_on)
            select @Id, seq, kind, from_on, until_on from unnest(@Seqs, @Kinds, @Froms, @Untils) as i(seq, kind, from_on, until_on);
            """;
        ArgumentNullException.ThrowIfNull(change);
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // The NGO first, as recording does, then the certificate: one lock order for every certificate write.
        var ngoId = await connection.ExecuteScalarAsync<Guid?>(
            "select n.id from ngos n join registrations r on r.ngo_id = n.id where r.id = @id for update of n", new { id }, transaction)
            ?? throw new NotFoundException($"Registration {id} does not exist.");
        _ = await connection.ExecuteScalarAsync<Guid>("select id from registrations where id = @id for update", new { id }, transaction);
        var current = (await Load(connection, transaction, [id])).Single();
        var after = CertificateLife.Apply(State(current), change);
        await connection.ExecuteAsync(update, new
        {
            Id = id, after.Status, after.ExpiresOn, ProvinceCodes = after.Terms.ProvinceCodes.ToArray(),
            CurrentProvinceCodes = after.Terms.CurrentProvinceCodes.ToArray(), SectorCategories = after.Terms.SectorCategories.ToArray(),
        }, transaction);
        await connection.ExecuteAsync(replaceInterruptions, new
        {
            Id = id,
            Seqs = Enumerable.Range(1, after.Interruptions.Count).ToArray(),
            Kinds = after.Interruptions.Select(i => i.Kind).ToArray(),
            Froms = after.Interruptions.Select(i => i.From).ToArray(),
            Untils = after.Interruptions.Select(i => i.Until).ToArray(),
        }, transaction);
        var dto = (await Load(connection, transaction, [id])).Single();
        await WriteHistory(connection, transaction, dto, change.Action, current.Status, State(current).Terms, change, actor);
        await ProjectCascade.AfterCertificateChange(approvals, transaction, ngoId, id, dto.CertificateNumber, change.Action);
        var ngo = (await NgoStore.Find(connection, transaction, ngoId))!;
        await transaction.Enqueue(Guid.CreateVersion7(), RegistryEvents.RegistrationChanged(dto, change, ngo.Status));
        await transaction.CommitAsync(cancellationToken);
        return dto;
    }

    public async Task<RegistrationDto?> Find(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return (await Load(connection, null, [id])).SingleOrDefault();
    }

    /// <summary>The NGO a certificate belongs to; null if there is no such certificate.</summary>
    public async Task<Guid?> OwnerOf(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Guid?>("select ngo_id from registrations where id = @id", new { id });
    }

    /// <summary>Every entry of a certificate's history, oldest first; actors only when <paramref name="showActors"/>.</summary>
    public async Task<Paged<RegistrationHistoryDto>> History(Guid id, bool showActors, PageRequest paging, CancellationToken cancellationToken)
    {
        const string sql = """
            select version, action, from_status, to_status, effective_on, reason, before::text as before, after::text as after,
                   actor_subject, actor_role, actor_ngo_id, at, count(*) over () as total
            from registration_history
            where registration_id = @id
            order by version
            limit @Limit offset @Offset
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<HistoryRow>(sql, new { id, Limit = paging.PageSize, paging.Offset })).AsList();
        var items = rows.Select(r => new RegistrationHistoryDto(r.Version, r.Action, r.FromStatus, r.ToStatus, r.EffectiveOn, r.Reason,
            r.Before is null ? null : Terms(r.Before), Terms(r.After),
            showActors && (r.ActorSubject ?? r.ActorRole) is not null ? new Actor(r.ActorSubject, r.ActorRole, r.ActorNgoId) : null,
            new DateTimeOffset(r.At, TimeSpan.Zero))).ToList();
        return new Paged<RegistrationHistoryDto>(items, paging.Page, paging.PageSize, rows.Count > 0 ? rows[0].Total : 0);
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
        return await Page(connection, await connection.QueryAsync<RegistrationRow>(sql, new { ngoId, Limit = paging.PageSize, paging.Offset }), paging);
    }

    /// <summary>
    /// Certificates (a partner's own only), or those in force today that expire within the window, soonest first:
    /// a revoked certificate no longer expires; a suspended one does.
    /// </summary>
    public async Task<Paged<RegistrationDto>> List(int? expiringWithinDays, Guid? ownNgo, PageRequest paging, CancellationToken cancellationToken)
    {
        const string sql = $"""
            select {Columns}, count(*) over () as total
            from registrations, lateral (select (now() at time zone 'Asia/Ho_Chi_Minh')::date as today) t
            where (@OwnNgo::uuid is null or ngo_id = @OwnNgo)
              and (@Days::int is null
                   or (status <> 'revoked' and issued_on <= t.today and expires_on >= t.today and expires_on <= t.today + @Days::int))
            order by expires_on, id
            limit @Limit offset @Offset
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await Page(connection, await connection.QueryAsync<RegistrationRow>(sql, new { Days = expiringWithinDays, OwnNgo = ownNgo, Limit = paging.PageSize, paging.Offset }), paging);
    }

    private static async Task WriteHistory(NpgsqlConnection connection, NpgsqlTransaction transaction, RegistrationDto after, string action,
        string? fromStatus, CertificateTerms? before, CertificateChange change, Actor actor) =>
        await connection.ExecuteAsync(InsertHistory, new
        {
            RegistrationId = after.Id, after.Version, Action = action, FromStatus = fromStatus, ToStatus = after.Status,
            Before = before is null ? null : JsonSerializer.Serialize(before, JsonSerializerOptions.Web),
            After = JsonSerializer.Serialize(State(after).Terms, JsonSerializerOptions.Web),
            Reason = change.Reason.Length == 0 ? null : change.Reason, change.EffectiveOn,
            ActorSubject = actor.Subject, ActorRole = actor.Role, ActorNgoId = actor.NgoId,
        }, transaction);

    private static CertificateState State(RegistrationDto r) => new(r.Kind, r.IssuedOn, r.ExpiresOn, r.Status, r.Interruptions,
        new CertificateTerms(r.ExpiresOn, r.ProvinceCodes, r.CurrentProvinceCodes, r.SectorCategories));

    private static CertificateTerms Terms(string json) => JsonSerializer.Deserialize<CertificateTerms>(json, JsonSerializerOptions.Web)!;

    /// <summary>Certificates with their interruptions, in the order of <paramref name="ids"/>.</summary>
    private static async Task<List<RegistrationDto>> Load(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid[] ids)
    {
        var rows = await connection.QueryAsync<RegistrationRow>($"{SelectRegistration} where id = any(@ids)", new { ids }, transaction);
        var byId = rows.ToDictionary(r => r.Id);
        return await WithInterruptions(connection, transaction, ids.Where(byId.ContainsKey).Select(id => byId[id]).ToList());
    }

    private static async Task<List<RegistrationDto>> WithInterruptions(NpgsqlConnection connection, NpgsqlTransaction? transaction, List<RegistrationRow> rows)
    {
        const string sql = """
            select registration_id, kind, from_on, until_on from registration_interruptions
            where registration_id = any(@ids) order by registration_id, seq
            """;
        var interruptions = rows.Count == 0
            ? Enumerable.Empty<InterruptionRow>().ToLookup(i => i.RegistrationId)
            : (await connection.QueryAsync<InterruptionRow>(sql, new { ids = rows.Select(r => r.Id).ToArray() }, transaction)).ToLookup(i => i.RegistrationId);
        return rows.Select(r => r.ToDto(interruptions[r.Id].Select(i => new InterruptionDto(i.Kind, i.FromOn, i.UntilOn)).ToList())).ToList();
    }

    private static async Task<Paged<RegistrationDto>> Page(NpgsqlConnection connection, IEnumerable<RegistrationRow> rows, PageRequest paging)
    {
        var list = rows.AsList();
        return new Paged<RegistrationDto>(await WithInterruptions(connection, null, list), paging.Page, paging.PageSize, list.Count > 0 ? list[0].Total : 0);
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
        public string Status { get; init; } = "";
        public int Version { get; init; }
        public long Total { get; init; }

        public RegistrationDto ToDto(IReadOnlyList<InterruptionDto> interruptions) => new(Id, NgoId, Kind, CertificateNumber, IssuedOn, ExpiresOn,
            ProvinceCodes, CurrentProvinceCodes, SectorCategories, new DateTimeOffset(CreatedAt, TimeSpan.Zero), Status, Version, interruptions);
    }

    private sealed class InterruptionRow
    {
        public Guid RegistrationId { get; init; }
        public string Kind { get; init; } = "";
        public DateOnly FromOn { get; init; }
        public DateOnly? UntilOn { get; init; }
    }

    private sealed class HistoryRow
    {
        public int Version { get; init; }
        public string Action { get; init; } = "";
        public string? FromStatus { get; init; }
        public string ToStatus { get; init; } = "";
        public DateOnly EffectiveOn { get; init; }
        public string? Reason { get; init; }
        public string? Before { get; init; }
        public string After { get; init; } = "";
        public string? ActorSubject { get; init; }
        public string? ActorRole { get; init; }
        public Guid? ActorNgoId { get; init; }
        public DateTime At { get; init; }
        public long Total { get; init; }
    }
}
