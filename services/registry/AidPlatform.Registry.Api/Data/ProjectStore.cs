using AidPlatform.Registry.Api.Domain;
using AidPlatform.Registry.Api.Messaging;
using AidPlatform.ServiceDefaults;
using AidPlatform.ServiceDefaults.Data;
using AidPlatform.ServiceDefaults.Errors;
using AidPlatform.ServiceDefaults.Http;
using AidPlatform.ServiceDefaults.Messaging;
using AidPlatform.ServiceDefaults.Validation;
using Dapper;
using Npgsql;

namespace AidPlatform.Registry.Api.Data;

/// <summary>Projects with their sectors, locations and policy markers: every write is checked against the NGO's certificates and commits with its event.</summary>
public sealed class ProjectStore(NpgsqlDataSource db)
{
    /// <summary>
    /// Registers a project. A partner's (for its own NGO only: another NGO reads as unknown) starts as a draft dossier;
    /// the ministry's records an approval already given, with its decision when sent.
    /// </summary>
    public async Task<ProjectDto> Register(ProjectFields project, DecisionDto? decision, ProjectWriter writer, ApprovalActor actor, CancellationToken cancellationToken)
    {
        const string insert = """
            insert into projects (id, version, ngo_id, title, title_search, description, iati_identifier, status, start_date, end_date,
                                  budget_amount, budget_currency, local_partner, approval_state, decision_number, decision_date, decision_authority)
            values (@Id, 1, @NgoId, @Title, @TitleSearch, @Description, @IatiIdentifier, @Status, @StartDate, @EndDate,
                    @BudgetAmount, @BudgetCurrency, @LocalPartner, @ApprovalState, @DecisionNumber, @DecisionDate, @DecisionAuthority)
            """;
        var id = Guid.CreateVersion7();
        var state = writer.IsPartner ? ApprovalStates.Draft : ApprovalStates.Approved;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var coverage = await Coverage(connection, transaction, project);
        ProjectRules.CheckCoverage(project, writer.IsPartner && writer.PartnerNgo != project.NgoId ? coverage with { NgoExists = false } : coverage);
        await UniqueViolations.AsConflict(() => connection.ExecuteAsync(insert, new
        {
            Id = id, project.NgoId, project.Title, project.TitleSearch, project.Description, project.IatiIdentifier, project.Status, project.StartDate,
            project.EndDate, project.BudgetAmount, project.BudgetCurrency, project.LocalPartner, ApprovalState = state,
            DecisionNumber = decision?.Number, DecisionDate = decision?.Date, DecisionAuthority = decision?.Authority,
        }, transaction), Constraints.Messages);
        await WriteShares(connection, transaction, id, project);
        await ApprovalStore.Record(connection, transaction, id, new ApprovalTransition("register", null, state, actor, null, decision, []));
        var dto = (await Load(connection, transaction, [id])).Single();
        await transaction.Enqueue(Guid.CreateVersion7(), RegistryEvents.ProjectRegistered(dto));
        await transaction.CommitAsync(cancellationToken);
        return dto;
    }

    /// <summary>
    /// Replaces a project's details when <paramref name="expected"/> is null or its current version; its NGO never changes.
    /// A partner may change its dossier only while it is a draft; the ministry, in any state but a final one.
    /// </summary>
    public async Task<ProjectDto> Update(Guid id, ProjectFields project, int? expected, ProjectWriter writer, CancellationToken cancellationToken)
    {
        const string update = """
            update projects set version = version + 1, title = @Title, title_search = @TitleSearch, description = @Description,
                iati_identifier = @IatiIdentifier, status = @Status, start_date = @StartDate, end_date = @EndDate,
                budget_amount = @BudgetAmount, budget_currency = @BudgetCurrency, local_partner = @LocalPartner, updated_at = now()
            where id = @Id
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var current = await connection.QuerySingleOrDefaultAsync<(Guid NgoId, int Version, string ApprovalState)?>(
            "select ngo_id, version, approval_state from projects where id = @id for update", new { id }, transaction)
            ?? throw new NotFoundException($"Project {id} does not exist.");
        // Whether the caller may change it at all comes before whether its copy is current.
        ApprovalRules.CheckEditable(current.ApprovalState, writer.IsPartner);
        ETags.Check(expected, current.Version);

        // ngoId is read-only in a PUT: a project never moves to another NGO, whatever the body says.
        project = project with { NgoId = current.NgoId };
        ProjectRules.CheckCoverage(project, await Coverage(connection, transaction, project));
        await CheckResults(connection, transaction, id, project);
        await UniqueViolations.AsConflict(() => connection.ExecuteAsync(update, Parameters(id, project), transaction), Constraints.Messages);
        await connection.ExecuteAsync("delete from project_sectors where project_id = @id; delete from project_locations where project_id = @id; delete from project_policy_markers where project_id = @id;", new { id }, transaction);
        await WriteShares(connection, transaction, id, project);
        var dto = (await Load(connection, transaction, [id])).Single();
        await transaction.Enqueue(Guid.CreateVersion7(), RegistryEvents.ProjectUpdated(dto));
        await transaction.CommitAsync(cancellationToken);
        return dto;
    }

    /// <summary>
    /// The project's results must still fit its new dates and provinces (the rule their own writes are held to): a
    /// 422 naming each result's period that would fall outside, keyed <c>results[{id}].indicators[i].periods[j].…</c>.
    /// The project row is locked, and a result write takes it for share, so none slips in meanwhile.
    /// </summary>
    private static async Task CheckResults(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, ProjectFields project)
    {
        var provinces = project.Locations.SelectMany(l => new[] { l.ProvinceCode, l.CurrentProvinceCode }).ToHashSet(StringComparer.Ordinal);
        var scope = new ResultProject(project.NgoId, project.StartDate, project.EndDate, provinces);
        var errors = new ValidationErrors();
        foreach (var result in await ResultStore.OfProject(connection, transaction, id))
        {
            foreach (var (field, message) in ResultRules.Misfits(new ResultFields(result.Type, result.Title, result.Description, result.Indicators), scope))
            {
                errors.Add($"results[{result.Id}].{field}", message);
            }
        }

        errors.ThrowIfAny("The project's new dates or locations would leave some of its results' periods outside them; change those results first.");
    }

    public async Task<ProjectDto?> Find(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return (await Load(connection, null, [id])).SingleOrDefault();
    }

    /// <summary>The NGO a project belongs to; null if there is no such project.</summary>
    public async Task<Guid?> OwnerOf(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Guid?>("select ngo_id from projects where id = @id", new { id });
    }

    public async Task<Paged<ProjectDto>> List(ProjectFilter filter, PageRequest paging, CancellationToken cancellationToken)
    {
        const string sql = """
            select p.id, count(*) over () as total
            from projects p
            where (@NgoId::uuid is null or p.ngo_id = @NgoId)
              and (@OwnNgo::uuid is null or p.ngo_id = @OwnNgo)
              and (@Status::text is null or p.status = @Status)
              and (@TitlePattern::text is null or p.title_search like @TitlePattern)
              and (@CurrentProvince::text is null or exists (select 1 from project_locations l where l.project_id = p.id and l.current_province_code = @CurrentProvince))
              and (@SectorCode::text is null or exists (select 1 from project_sectors s where s.project_id = p.id and s.code = @SectorCode))
              and (@CategoryCode::text is null or exists (select 1 from project_sectors s where s.project_id = p.id and s.category_code = @CategoryCode))
            order by p.created_at, p.id
            limit @Limit offset @Offset
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var ids = (await connection.QueryAsync<(Guid Id, long Total)>(sql, new
        {
            filter.NgoId, filter.OwnNgo, filter.Status, filter.TitlePattern, filter.CurrentProvince, filter.SectorCode, filter.CategoryCode,
            Limit = paging.PageSize, paging.Offset,
        })).AsList();
        var items = ids.Count == 0 ? [] : await Load(connection, null, ids.Select(r => r.Id).ToArray());
        return new Paged<ProjectDto>(items, paging.Page, paging.PageSize, ids.Count > 0 ? ids[0].Total : 0);
    }

    /// <summary>Other NGOs' projects sharing a province and a sector category over an overlapping period.</summary>
    public async Task<Paged<OverlapDto>> Overlaps(Guid id, PageRequest paging, CancellationToken cancellationToken)
    {
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
        var rows = (await connection.QueryAsync<OverlapRow>(sql, new { id, Limit = paging.PageSize, paging.Offset })).AsList();
        var items = rows.Select(r => new OverlapDto(r.ProjectId, r.NgoId, r.Title, r.Status, r.StartDate, r.EndDate, r.SharedProvinceCodes, r.SharedSectorCategories)).ToList();
        return new Paged<OverlapDto>(items, paging.Page, paging.PageSize, rows.Count > 0 ? rows[0].Total : 0);
    }

    /// <summary>The full state of projects, with sectors and locations, in the order of <paramref name="ids"/>.</summary>
    internal static async Task<List<ProjectDto>> Load(NpgsqlConnection connection, NpgsqlTransaction? transaction, Guid[] ids)
    {
        const string sql = """
            select id, ngo_id, title, description, iati_identifier, status, start_date, end_date, budget_amount, budget_currency,
                   local_partner, version, created_at, updated_at,
                   approval_state, decision_number, decision_date, decision_authority, due_by
            from projects where id = any(@ids);
            select project_id, code, category_code, percentage from project_sectors where project_id = any(@ids) order by project_id, percentage desc, code;
            select project_id, province_code, current_province_code, percentage from project_locations where project_id = any(@ids) order by project_id, percentage desc, province_code;
            select project_id, code, significance from project_policy_markers where project_id = any(@ids) order by project_id, length(code), code;
            """;
        await using var grid = await connection.QueryMultipleAsync(sql, new { ids }, transaction);
        var projects = (await grid.ReadAsync<ProjectRow>()).ToDictionary(p => p.Id);
        var sectors = (await grid.ReadAsync<(Guid ProjectId, string Code, string CategoryCode, decimal Percentage)>()).ToLookup(s => s.ProjectId);
        var locations = (await grid.ReadAsync<(Guid ProjectId, string ProvinceCode, string CurrentProvinceCode, decimal Percentage)>()).ToLookup(l => l.ProjectId);
        var markers = (await grid.ReadAsync<(Guid ProjectId, string Code, short Significance)>()).ToLookup(m => m.ProjectId);
        return ids.Where(projects.ContainsKey).Select(id =>
        {
            var p = projects[id];
            return new ProjectDto(p.Id, p.NgoId, p.Title, p.Description, p.IatiIdentifier, p.Status, p.StartDate, p.EndDate,
                new BudgetDto(p.BudgetAmount, p.BudgetCurrency),
                sectors[id].Select(s => new SectorDto(s.Code, s.CategoryCode, s.Percentage.Normalize())).ToList(),
                locations[id].Select(l => new LocationDto(l.ProvinceCode, l.CurrentProvinceCode, l.Percentage.Normalize())).ToList(),
                p.LocalPartner, markers[id].Select(m => new PolicyMarkerDto(m.Code, m.Significance)).ToList(),
                ApprovalRules.Approval(p.ApprovalState, p.DecisionNumber, p.DecisionDate, p.DecisionAuthority, p.DueBy, VietnamTime.Today), p.Version, new DateTimeOffset(p.CreatedAt, TimeSpan.Zero), new DateTimeOffset(p.UpdatedAt, TimeSpan.Zero));
        }).ToList();
    }

    /// <summary>Whether the NGO exists, and the current provinces its certificates valid (in date, not suspended or revoked) on the start date cover.</summary>
    private static async Task<Coverage> Coverage(NpgsqlConnection connection, NpgsqlTransaction transaction, ProjectFields project)
    {
        const string sql = $"""
            select exists (select 1 from ngos where id = @NgoId);
            select distinct unnest(current_province_codes) from registrations r
            where ngo_id = @NgoId and {RegistrationStore.ValidOnDay};
            """;
        await using var grid = await connection.QueryMultipleAsync(sql, new { project.NgoId, day = project.StartDate }, transaction);
        var exists = await grid.ReadSingleAsync<bool>();
        return new Coverage(exists, (await grid.ReadAsync<string>()).ToHashSet(StringComparer.Ordinal));
    }

    private static async Task WriteShares(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, ProjectFields project)
    {
        const string sql = """
            insert into project_sectors (project_id, code, category_code, percentage)
            select @Id, * from unnest(@SectorCodes, @Categories, @SectorPercentages);
            insert into project_locations (project_id, province_code, current_province_code, percentage)
            select @Id, * from unnest(@ProvinceCodes, @CurrentCodes, @LocationPercentages);
            insert into project_policy_markers (project_id, code, significance)
            select @Id, * from unnest(@MarkerCodes, @Significances);
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
            MarkerCodes = project.PolicyMarkers.Select(m => m.Code).ToArray(),
            Significances = project.PolicyMarkers.Select(m => (short)m.Significance).ToArray(),
        }, transaction);
    }

    private static object Parameters(Guid id, ProjectFields p) => new
    {
        Id = id, p.NgoId, p.Title, p.TitleSearch, p.Description, p.IatiIdentifier, p.Status, p.StartDate, p.EndDate,
        p.BudgetAmount, p.BudgetCurrency, p.LocalPartner,
    };

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
        public string ApprovalState { get; init; } = "";
        public string? DecisionNumber { get; init; }
        public DateOnly? DecisionDate { get; init; }
        public string? DecisionAuthority { get; init; }
        public DateOnly? DueBy { get; init; }
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
