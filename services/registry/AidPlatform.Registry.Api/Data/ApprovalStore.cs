using System.Text.Json;
using AidPlatform.Registry.Api.Domain;
using AidPlatform.Registry.Api.Messaging;
using AidPlatform.ServiceDefaults;
using AidPlatform.ServiceDefaults.Errors;
using AidPlatform.ServiceDefaults.Http;
using AidPlatform.ServiceDefaults.Messaging;
using AidPlatform.ServiceDefaults.Validation;
using Dapper;
using Npgsql;

namespace AidPlatform.Registry.Api.Data;

/// <summary>One transition to record: the action, the states, who, and what came with it.</summary>
public sealed record ApprovalTransition(string Action, string? From, string To, ApprovalActor Actor, string? Reason, DecisionDto? Decision, IReadOnlyList<ApprovalDocument> Documents);

/// <summary>
/// Projects' approval: each action locks the project row, asks <see cref="ApprovalMachine"/>, and writes the new
/// state, its transition and the project's event in one transaction. The lock makes two approvers acting at once
/// take turns: the second sees the state the first left, and the machine refuses it (409) if it no longer applies.
/// </summary>
public sealed class ApprovalStore(NpgsqlDataSource db, ApprovalLimits limits)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>What a transition reads of a project <c>p</c> it has locked (<see cref="ApprovalRow"/>).</summary>
    private const string LockedColumns = "p.id, p.ngo_id, p.version, p.approval_state, p.approval_return_states, p.concluded_by, p.decision_date, p.due_by, p.first_disbursement_on is not null as has_disbursements";

    public async Task<(ApprovalDto Approval, int Version)> Act(
        Guid id, string action, ApprovalActionRequest ask, ApprovalActor actor, int? expected, CancellationToken cancellationToken)
    {
        const string select = $"select {LockedColumns} from projects p where p.id = @id for update";
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var row = await connection.QuerySingleOrDefaultAsync<ApprovalRow>(select, new { id }, transaction);
        if (row is null || (actor.NgoId is { } own && row.NgoId != own))
        {
            throw new NotFoundException($"Project {id} does not exist.");
        }

        ETags.Check(expected, row.Version);
        var today = VietnamTime.Today;
        var situation = row.Situation(today);
        var decided = ApprovalMachine.Decide(situation, action, actor, new ApprovalAsk(ask.Reason, ask.Decision is not null), limits);
        if (!decided.Allowed)
        {
            throw decided.Kind switch
            {
                ApprovalRefusalKind.UnknownAction => new NotFoundException(decided.Refusal!),
                ApprovalRefusalKind.Invalid => Invalid(action == "approve" ? "decision" : "reason", decided.Refusal!),
                _ => new ConflictException(decided.Refusal!),
            };
        }

        await Apply(connection, transaction, id, row, new ApprovalTransition(action, row.ApprovalState, decided.To!, actor, ask.Reason, ask.Decision, ask.Documents ?? []), today);
        var project = (await ProjectStore.Load(connection, transaction, [id])).Single();
        await transaction.CommitAsync(cancellationToken);
        return (project.Approval, project.Version);
    }

    private static UnprocessableException Invalid(string field, string message)
    {
        var errors = new ValidationErrors();
        errors.Add(field, message);
        return errors.Refusal(message);
    }

    // A province of a project a certificate of its NGO covers on @day (today in Vietnam): in date, and not interrupted.
    private const string CoveredToday = $"""
        exists (select 1 from registrations r
                where r.ngo_id = p.ngo_id and l.current_province_code = any(r.current_province_codes) and {RegistrationStore.ValidOnDay})
        """;

    /// <summary>
    /// A certificate of <paramref name="ngoId"/> was suspended or revoked (inside its transaction): the NGO's open
    /// projects in its provinces that no other valid certificate covers any more are suspended by the platform.
    /// </summary>
    public async Task SuspendUncovered(NpgsqlTransaction transaction, Guid ngoId, Guid registrationId, string reason)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        const string sql = $"""
            select {LockedColumns}
            from projects p
            where p.ngo_id = @ngoId and p.approval_state = any(@open)
              and exists (select 1 from project_locations l join registrations c on c.id = @registrationId
                          where l.project_id = p.id and l.current_province_code = any(c.current_province_codes))
              and exists (select 1 from project_locations l where l.project_id = p.id and not {CoveredToday})
            order by p.id
            for update of p
            """;
        await Move(transaction, sql, new { ngoId, registrationId, open = ApprovalStates.Open.ToArray(), day = VietnamTime.Today }, "suspend", reason);
    }

    /// <summary>
    /// A certificate of <paramref name="ngoId"/> was reinstated: the projects the platform suspended (their last
    /// transition the platform's suspension) that valid certificates cover again go back to the state before.
    /// </summary>
    public async Task ResumeCovered(NpgsqlTransaction transaction, Guid ngoId, string reason)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        const string sql = $"""
            select {LockedColumns}
            from projects p
            where p.ngo_id = @ngoId and p.approval_state = 'suspended'
              and (select t.actor_role from approval_transitions t where t.project_id = p.id order by t.id desc limit 1) = 'system'
              and not exists (select 1 from project_locations l where l.project_id = p.id and not {CoveredToday})
            order by p.id
            for update of p
            """;
        await Move(transaction, sql, new { ngoId, day = VietnamTime.Today }, "resume", reason);
    }

    /// <summary>Takes <paramref name="action"/> as the platform on each project <paramref name="sql"/> selects and locks.</summary>
    private async Task Move(NpgsqlTransaction transaction, string sql, object parameters, string action, string reason)
    {
        var connection = transaction.Connection!;
        var today = VietnamTime.Today;
        foreach (var row in await connection.QueryAsync<ApprovalRow>(sql, parameters, transaction))
        {
            var situation = row.Situation(today);
            var decided = ApprovalMachine.Decide(situation, action, ApprovalActor.System, new ApprovalAsk(reason, false), limits);
            if (decided.Allowed)
            {
                await Apply(connection, transaction, row.Id, row, new ApprovalTransition(action, row.ApprovalState, decided.To!, ApprovalActor.System, reason, null, []), today);
            }
        }
    }

    /// <summary>
    /// Disbursements reached the ledger (inside a consumer's transaction, with its inbox row): each project remembers
    /// its first, which closes the revocation window, and an approved project starts implementation by itself.
    /// </summary>
    public async Task Disbursed(NpgsqlTransaction transaction, IEnumerable<(Guid ProjectId, DateOnly On)> disbursements)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        var firsts = disbursements.GroupBy(d => d.ProjectId).Select(g => (Id: g.Key, On: g.Min(d => d.On))).OrderBy(d => d.Id).ToList();
        if (firsts.Count == 0)
        {
            return;
        }

        // Locked in id order, so two consumers' transactions never wait on each other in a circle.
        const string sql = """
            select id, ngo_id, version, approval_state, approval_return_states, concluded_by, decision_date, due_by, true as has_disbursements
            from projects where id = any(@ids) order by id for update;
            update projects p set first_disbursement_on = d.day
            from unnest(@ids, @days) as d(id, day)
            where p.id = d.id and (p.first_disbursement_on is null or p.first_disbursement_on > d.day);
            """;
        var connection = transaction.Connection!;
        var ids = firsts.Select(f => f.Id).ToArray();
        var rows = (await connection.QueryAsync<ApprovalRow>(sql, new { ids, days = firsts.Select(f => f.On).ToArray() }, transaction)).AsList();
        var today = VietnamTime.Today;
        foreach (var row in rows.Where(r => r.ApprovalState == ApprovalStates.Approved))
        {
            await Apply(connection, transaction, row.Id, row, new ApprovalTransition("start", row.ApprovalState, ApprovalStates.InImplementation, ApprovalActor.System,
                "The first disbursement was recorded in the ledger.", null, []), today);
        }
    }

    /// <summary>
    /// Moves a locked project to the transition's state: remembers the state a suspension or amendment request
    /// interrupts, who concluded the appraisal, the decision of an approval, and the due date of a submitted dossier.
    /// Records the transition and publishes the project's new state.
    /// </summary>
    internal async Task Apply(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid id, ApprovalRow row, ApprovalTransition t, DateOnly today)
    {
        const string update = """
            update projects set version = version + 1, updated_at = now(), approval_state = @To, approval_return_states = @ReturnStates,
                concluded_by = @ConcludedBy, due_by = @DueBy,
                decision_number = coalesce(@DecisionNumber, decision_number), decision_date = coalesce(@DecisionDate, decision_date),
                decision_authority = coalesce(@DecisionAuthority, decision_authority)
            where id = @id
            """;
        string[] returnStates = t.Action switch
        {
            "suspend" or "request-amendment" => [.. row.ApprovalReturnStates, row.ApprovalState],
            "resume" or "approve-amendment" or "refuse-amendment" => row.ApprovalReturnStates[..^1],
            _ when ApprovalStates.Final.Contains(t.To) => [],
            _ => row.ApprovalReturnStates,
        };
        var concludedBy = t.Action == "conclude" ? t.Actor.Subject : ApprovalLimits.Pending.Contains(t.To) ? row.ConcludedBy : null;
        DateOnly? dueBy = t.Action == "submit" ? limits.DueBy(today) : ApprovalLimits.Pending.Contains(t.To) ? row.DueBy : null;
        var decision = t.Action == "approve" ? t.Decision : null;
        await connection.ExecuteAsync(update, new
        {
            id, t.To, ReturnStates = returnStates, ConcludedBy = concludedBy, DueBy = dueBy,
            DecisionNumber = decision?.Number, DecisionDate = decision?.Date, DecisionAuthority = decision?.Authority,
        }, transaction);
        await Record(connection, transaction, id, t);
        var project = (await ProjectStore.Load(connection, transaction, [id])).Single();
        await transaction.Enqueue(Guid.CreateVersion7(), RegistryEvents.ProjectUpdated(project));
    }

    /// <summary>Writes one transition of the project's approval history.</summary>
    internal static Task Record(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid projectId, ApprovalTransition t)
    {
        const string insert = """
            insert into approval_transitions (project_id, action, from_state, to_state, actor_subject, actor_role, actor_ngo_id, reason, decision, documents)
            values (@projectId, @Action, @From, @To, @Subject, @Role, @NgoId, @Reason, @Decision::jsonb, @Documents::jsonb)
            """;
        return connection.ExecuteAsync(insert, new
        {
            projectId, t.Action, t.From, t.To, t.Actor.Subject, t.Actor.Role, t.Actor.NgoId, t.Reason,
            Decision = t.Decision is null ? null : JsonSerializer.Serialize(t.Decision, Json),
            Documents = JsonSerializer.Serialize(t.Documents, Json),
        }, transaction);
    }

    /// <summary>A project's transitions, oldest first; null when there is no such project (or the partner may not see it).</summary>
    public async Task<Paged<ApprovalTransitionDto>?> History(Guid id, Guid? partnerNgo, PageRequest paging, CancellationToken cancellationToken)
    {
        const string sql = """
            select exists (select 1 from projects where id = @id and (@partnerNgo::uuid is null or ngo_id = @partnerNgo));
            select action, from_state, to_state, actor_subject, actor_role, actor_ngo_id, at, reason, decision::text, documents::text,
                   count(*) over () as total
            from approval_transitions where project_id = @id
            order by id
            limit @Limit offset @Offset;
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var grid = await connection.QueryMultipleAsync(sql, new { id, partnerNgo, Limit = paging.PageSize, paging.Offset });
        if (!await grid.ReadSingleAsync<bool>())
        {
            return null;
        }

        var rows = (await grid.ReadAsync<TransitionRow>()).AsList();
        var items = rows.Select(r => new ApprovalTransitionDto(r.Action, r.FromState, r.ToState, new ApprovalActorDto(r.ActorSubject, r.ActorRole, r.ActorNgoId),
            new DateTimeOffset(r.At, TimeSpan.Zero), r.Reason, r.Decision is null ? null : JsonSerializer.Deserialize<DecisionDto>(r.Decision, Json),
            JsonSerializer.Deserialize<List<ApprovalDocument>>(r.Documents, Json) ?? [])).ToList();
        return new Paged<ApprovalTransitionDto>(items, paging.Page, paging.PageSize, rows.Count > 0 ? rows[0].Total : 0);
    }

    /// <summary>Projects by approval state; <c>overdue</c> keeps those whose dossier has passed its due date (Vietnam's day).</summary>
    public async Task<Paged<ApprovalListItem>> List(string? state, bool? overdue, Guid? ngoId, Guid? partnerNgo, PageRequest paging, CancellationToken cancellationToken)
    {
        const string sql = """
            select id, ngo_id, title, version, approval_state, decision_number, decision_date, decision_authority, due_by, count(*) over () as total
            from projects
            where (@state::text is null or approval_state = @state)
              and (@ngoId::uuid is null or ngo_id = @ngoId)
              and (@partnerNgo::uuid is null or ngo_id = @partnerNgo)
              and (@overdue::boolean is null
                   or @overdue = (approval_state = any(@pending) and due_by is not null and due_by < @today))
            order by due_by nulls last, created_at, id
            limit @Limit offset @Offset
            """;
        var today = VietnamTime.Today;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var rows = (await connection.QueryAsync<ListRow>(sql, new
        {
            state, overdue, ngoId, partnerNgo, pending = ApprovalLimits.Pending.ToArray(), today, Limit = paging.PageSize, paging.Offset,
        })).AsList();
        var items = rows.Select(r => new ApprovalListItem(r.Id, r.NgoId, r.Title,
            ApprovalRules.Approval(r.ApprovalState, r.DecisionNumber, r.DecisionDate, r.DecisionAuthority, r.DueBy, today), r.Version)).ToList();
        return new Paged<ApprovalListItem>(items, paging.Page, paging.PageSize, rows.Count > 0 ? rows[0].Total : 0);
    }

    internal sealed class ApprovalRow
    {
        public Guid Id { get; init; }
        public Guid NgoId { get; init; }
        public int Version { get; init; }
        public string ApprovalState { get; init; } = "";
        public string[] ApprovalReturnStates { get; init; } = [];
        public string? ConcludedBy { get; init; }
        public DateOnly? DecisionDate { get; init; }
        public DateOnly? DueBy { get; init; }
        public bool HasDisbursements { get; init; }

        /// <summary>What the machine needs to know of this project on <paramref name="today"/>: the state to return to is the innermost.</summary>
        public ApprovalSituation Situation(DateOnly today) =>
            new(ApprovalState, ApprovalReturnStates.LastOrDefault(), ConcludedBy, DecisionDate, HasDisbursements, today);
    }

    private sealed class TransitionRow
    {
        public string Action { get; init; } = "";
        public string? FromState { get; init; }
        public string ToState { get; init; } = "";
        public string ActorSubject { get; init; } = "";
        public string ActorRole { get; init; } = "";
        public Guid? ActorNgoId { get; init; }
        public DateTime At { get; init; }
        public string? Reason { get; init; }
        public string? Decision { get; init; }
        public string Documents { get; init; } = "[]";
        public long Total { get; init; }
    }

    private sealed class ListRow
    {
        public Guid Id { get; init; }
        public Guid NgoId { get; init; }
        public string Title { get; init; } = "";
        public int Version { get; init; }
        public string ApprovalState { get; init; } = "";
        public string? DecisionNumber { get; init; }
        public DateOnly? DecisionDate { get; init; }
        public string? DecisionAuthority { get; init; }
        public DateOnly? DueBy { get; init; }
        public long Total { get; init; }
    }
}
