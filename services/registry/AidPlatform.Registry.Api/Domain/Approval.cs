namespace AidPlatform.Registry.Api.Domain;

/// <summary>The approval states of an aid project (Decree 80/2020, replaced by Decree 313/2025), as API.md names them.</summary>
public static class ApprovalStates
{
    public const string Draft = "draft";
    public const string Submitted = "submitted";
    public const string Withdrawn = "withdrawn";
    public const string UnderAppraisal = "under-appraisal";
    public const string Appraised = "appraised";
    public const string Approved = "approved";
    public const string Refused = "refused";
    public const string InImplementation = "in-implementation";
    public const string AmendmentPending = "amendment-pending";
    public const string Completed = "completed";
    public const string Revoked = "revoked";
    public const string Suspended = "suspended";

    public static readonly IReadOnlyList<string> All =
        [Draft, Submitted, Withdrawn, UnderAppraisal, Appraised, Approved, Refused, InImplementation, AmendmentPending, Completed, Revoked, Suspended];

    /// <summary>States nothing leaves.</summary>
    public static readonly IReadOnlySet<string> Final = new HashSet<string>([Withdrawn, Refused, Completed, Revoked], StringComparer.Ordinal);

    /// <summary>The states a suspension may interrupt: neither final nor suspended already.</summary>
    public static readonly IReadOnlySet<string> Open = All.Where(s => !Final.Contains(s) && s != Suspended).ToHashSet(StringComparer.Ordinal);
}

/// <summary>Who acts: a person with a role (and a partner's NGO), or the platform itself (first disbursement, a suspended certificate).</summary>
public sealed record ApprovalActor(string Subject, string Role, Guid? NgoId)
{
    public const string SystemRole = "system";

    public static ApprovalActor System { get; } = new("aidplatform", SystemRole, null);
}

/// <summary>
/// What a transition needs to know besides the state: the state a suspension or an amendment interrupted,
/// who concluded the appraisal (the checker must be someone else), the decision date, whether money has moved,
/// and today in Vietnam's calendar.
/// </summary>
public sealed record ApprovalSituation(
    string State, string? StateBefore, string? ConcludedBy, DateOnly? DecisionDate, bool HasDisbursements, DateOnly Today);

/// <summary>What the caller sends with an action.</summary>
public sealed record ApprovalAsk(string? Reason, bool HasDecision);

/// <summary>
/// The configurable time limits (data, not code): the revocation window, and the appraisal's limit from a complete
/// (submitted) dossier in calendar or working days, the latter skipping weekends and the holiday calendar.
/// </summary>
public sealed record ApprovalLimits(int RevocationMonths, int AppraisalDays = 20, bool WorkingDays = true, IReadOnlySet<DateOnly>? Holidays = null)
{
    /// <summary>The day a dossier submitted on <paramref name="submittedOn"/> must be decided by.</summary>
    public DateOnly DueBy(DateOnly submittedOn)
    {
        if (!WorkingDays)
        {
            return submittedOn.AddDays(AppraisalDays);
        }

        var day = submittedOn;
        for (var counted = 0; counted < AppraisalDays;)
        {
            day = day.AddDays(1);
            if (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && Holidays?.Contains(day) != true)
            {
                counted++;
            }
        }

        return day;
    }

    /// <summary>The states a dossier waits for the ministry in: its <c>dueBy</c> applies.</summary>
    public static readonly IReadOnlySet<string> Pending = new HashSet<string>(
        [ApprovalStates.Submitted, ApprovalStates.UnderAppraisal, ApprovalStates.Appraised], StringComparer.Ordinal);
}

/// <summary>The outcome of asking for an action: the new state, or the rule that refuses it.</summary>
public sealed record ApprovalDecision(string? To, string? Refusal, ApprovalRefusalKind Kind)
{
    public bool Allowed => Refusal is null;

    public static ApprovalDecision Move(string to) => new(to, null, ApprovalRefusalKind.None);

    public static ApprovalDecision Refuse(ApprovalRefusalKind kind, string rule) => new(null, rule, kind);
}

/// <summary>How a refusal answers: 409 for a state, role or maker-checker rule, 422 for a missing field, 404 for an action that does not exist.</summary>
public enum ApprovalRefusalKind { None, UnknownAction, Conflict, Invalid }

/// <summary>
/// The approval state machine as one table (API.md "Approval of aid projects"): for each action, the states it
/// leaves, the state it reaches (or the one before), the roles that may ask, and its guards. Pure: the endpoint
/// loads the situation, asks <see cref="Decide"/>, and stores the transition it answers.
/// </summary>
public static class ApprovalMachine
{
    private const string Ministry = "ministry";
    private const string Partner = "partner";

    /// <summary>One row of the table. <c>To</c> null means "the state before" (resume, an amendment decided).</summary>
    public sealed record Rule(string Action, IReadOnlySet<string> From, string? To, IReadOnlySet<string> Roles, Guard Guards = Guard.None);

    [Flags]
    public enum Guard
    {
        None = 0,
        Reason = 1,
        Decision = 2,
        NotTheConcluder = 4,
        RevocationWindow = 8,
    }

    private static HashSet<string> Set(params string[] items) => new(items, StringComparer.Ordinal);

    public static readonly IReadOnlyList<Rule> Table =
    [
        new("submit", Set(ApprovalStates.Draft), ApprovalStates.Submitted, Set(Partner)),
        new("withdraw", Set(ApprovalStates.Draft, ApprovalStates.Submitted), ApprovalStates.Withdrawn, Set(Partner)),
        new("return", Set(ApprovalStates.Submitted), ApprovalStates.Draft, Set(Ministry), Guard.Reason),
        new("start-appraisal", Set(ApprovalStates.Submitted), ApprovalStates.UnderAppraisal, Set(Ministry)),
        new("conclude", Set(ApprovalStates.UnderAppraisal), ApprovalStates.Appraised, Set(Ministry)),
        new("approve", Set(ApprovalStates.Appraised), ApprovalStates.Approved, Set(Ministry), Guard.Decision | Guard.NotTheConcluder),
        new("refuse", Set(ApprovalStates.Appraised), ApprovalStates.Refused, Set(Ministry), Guard.NotTheConcluder),
        new("start", Set(ApprovalStates.Approved), ApprovalStates.InImplementation, Set(Ministry, Partner, ApprovalActor.SystemRole)),
        new("request-amendment", Set(ApprovalStates.Approved, ApprovalStates.InImplementation), ApprovalStates.AmendmentPending, Set(Partner)),
        new("approve-amendment", Set(ApprovalStates.AmendmentPending), null, Set(Ministry)),
        new("refuse-amendment", Set(ApprovalStates.AmendmentPending), null, Set(Ministry)),
        new("complete", Set(ApprovalStates.InImplementation), ApprovalStates.Completed, Set(Ministry)),
        new("revoke", Set(ApprovalStates.Approved), ApprovalStates.Revoked, Set(Ministry), Guard.RevocationWindow),
        new("suspend", ApprovalStates.Open, ApprovalStates.Suspended, Set(Ministry, ApprovalActor.SystemRole)),
        new("resume", Set(ApprovalStates.Suspended), null, Set(Ministry, ApprovalActor.SystemRole)),
    ];

    private static readonly Dictionary<string, Rule> ByAction = Table.ToDictionary(r => r.Action, StringComparer.Ordinal);

    public static IReadOnlyList<string> Actions { get; } = [.. Table.Select(r => r.Action)];

    /// <summary>Whether <paramref name="actor"/> may take <paramref name="action"/> in <paramref name="situation"/>, and where it leads.</summary>
    public static ApprovalDecision Decide(ApprovalSituation situation, string action, ApprovalActor actor, ApprovalAsk ask, ApprovalLimits limits)
    {
        ArgumentNullException.ThrowIfNull(situation);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(ask);
        ArgumentNullException.ThrowIfNull(limits);
        if (!ByAction.TryGetValue(action, out var rule))
        {
            return ApprovalDecision.Refuse(ApprovalRefusalKind.UnknownAction, $"'{action}' is not an approval action; the actions are {string.Join(", ", Actions)}.");
        }

        if (!rule.Roles.Contains(actor.Role))
        {
            return ApprovalDecision.Refuse(ApprovalRefusalKind.Conflict, $"{action} is for {string.Join(" or ", rule.Roles.Where(r => r != ApprovalActor.SystemRole))}, not {actor.Role}.");
        }

        if (!rule.From.Contains(situation.State))
        {
            var from = string.Join(", ", ApprovalStates.All.Where(rule.From.Contains));
            return ApprovalDecision.Refuse(ApprovalRefusalKind.Conflict, $"{action} is allowed from {from}; the project is {situation.State}.");
        }

        if (rule.Guards.HasFlag(Guard.Reason) && string.IsNullOrWhiteSpace(ask.Reason))
        {
            return ApprovalDecision.Refuse(ApprovalRefusalKind.Invalid, $"{action} requires a reason.");
        }

        if (rule.Guards.HasFlag(Guard.Decision) && !ask.HasDecision)
        {
            return ApprovalDecision.Refuse(ApprovalRefusalKind.Invalid, $"{action} requires a decision {{ number, date, authority }}.");
        }

        if (rule.Guards.HasFlag(Guard.NotTheConcluder) && string.Equals(situation.ConcludedBy, actor.Subject, StringComparison.Ordinal))
        {
            return ApprovalDecision.Refuse(ApprovalRefusalKind.Conflict, $"maker-checker: whoever concluded the appraisal may not {action} it.");
        }

        if (rule.Guards.HasFlag(Guard.RevocationWindow))
        {
            var opens = situation.DecisionDate?.AddMonths(limits.RevocationMonths);
            if (situation.HasDisbursements || opens is null || situation.Today < opens)
            {
                return ApprovalDecision.Refuse(ApprovalRefusalKind.Conflict,
                    $"revoke is allowed once {limits.RevocationMonths} months have passed since the decision date with no disbursement" +
                    (situation.HasDisbursements ? "; the project has disbursements." : opens is null ? "; the project has no decision date." : $"; that is {opens:yyyy-MM-dd}."));
            }
        }

        if (rule.To is not null)
        {
            return ApprovalDecision.Move(rule.To);
        }

        // Resume and an amendment decided go back to the state they interrupted.
        return situation.StateBefore is { } before
            ? ApprovalDecision.Move(before)
            : throw new InvalidOperationException($"A {situation.State} project must remember the state before it.");
    }
}
