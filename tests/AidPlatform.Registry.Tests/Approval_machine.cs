using AidPlatform.Registry.Api.Domain;

namespace AidPlatform.Registry.Tests;

/// <summary>
/// The approval state machine alone, against API.md's table written out again here (not read from the code):
/// every pair of state and action, allowed or refused, then the roles and the guards.
/// </summary>
public sealed class Approval_machine
{
    private static readonly DateOnly Today = new(2026, 12, 2);
    private static readonly ApprovalLimits Limits = new(RevocationMonths: 6);
    private static readonly ApprovalAsk Complete = new("a reason", HasDecision: true);

    private static readonly string[] OpenStates =
        ["draft", "submitted", "under-appraisal", "appraised", "approved", "in-implementation", "amendment-pending"];

    /// <summary>API.md's table: action → (states it leaves, state it reaches or "before", a role that may ask).</summary>
    private static readonly Dictionary<string, (string[] From, string To, string Role)> Contract = new()
    {
        ["submit"] = (["draft"], "submitted", "partner"),
        ["withdraw"] = (["draft", "submitted"], "withdrawn", "partner"),
        ["return"] = (["submitted"], "draft", "ministry"),
        ["start-appraisal"] = (["submitted"], "under-appraisal", "ministry"),
        ["conclude"] = (["under-appraisal"], "appraised", "ministry"),
        ["approve"] = (["appraised"], "approved", "ministry"),
        ["refuse"] = (["appraised"], "refused", "ministry"),
        ["start"] = (["approved"], "in-implementation", "partner"),
        ["request-amendment"] = (["approved", "in-implementation"], "amendment-pending", "partner"),
        ["approve-amendment"] = (["amendment-pending"], "before", "ministry"),
        ["refuse-amendment"] = (["amendment-pending"], "before", "ministry"),
        ["complete"] = (["in-implementation"], "completed", "ministry"),
        ["revoke"] = (["approved"], "revoked", "ministry"),
        ["suspend"] = (OpenStates, "suspended", "ministry"),
        ["resume"] = (["suspended"], "before", "ministry"),
    };

    private static IEnumerable<TestCaseData> EveryStateAndAction() =>
        from state in ApprovalStates.All
        from action in ApprovalMachine.Actions
        select new TestCaseData(state, action).SetName($"{action} from {state}");

    [TestCaseSource(nameof(EveryStateAndAction))]
    public void Every_state_and_action(string state, string action)
    {
        var (from, to, role) = Contract[action];
        // The state a suspension or an amendment interrupted; an old decision and no money, so revoke's window is open.
        var situation = new ApprovalSituation(state, "approved", ConcludedBy: "appraiser", new DateOnly(2025, 1, 10), HasDisbursements: false, Today);

        var decision = ApprovalMachine.Decide(situation, action, new ApprovalActor("checker", role, null), Complete, Limits);

        if (from.Contains(state))
        {
            Assert.That((decision.Allowed, decision.To), Is.EqualTo((true, to == "before" ? "approved" : to)), decision.Refusal);
        }
        else
        {
            Assert.That((decision.Allowed, decision.Kind), Is.EqualTo((false, ApprovalRefusalKind.Conflict)));
            Assert.That(decision.Refusal, Does.Contain(action).And.Contain(state), "the refusal names the rule and the state");
        }
    }

    [Test]
    public void The_table_has_the_contracts_actions_and_states()
    {
        Assert.That(ApprovalMachine.Actions, Is.EquivalentTo(Contract.Keys));
        Assert.That(ApprovalStates.All, Is.EquivalentTo(new[]
        {
            "draft", "submitted", "withdrawn", "under-appraisal", "appraised", "approved", "refused", "in-implementation",
            "amendment-pending", "completed", "revoked", "suspended",
        }));
    }

    private static readonly Dictionary<string, string[]> RolesByAction = new()
    {
        ["submit"] = ["partner"], ["withdraw"] = ["partner"], ["return"] = ["ministry"], ["start-appraisal"] = ["ministry"],
        ["conclude"] = ["ministry"], ["approve"] = ["ministry"], ["refuse"] = ["ministry"], ["start"] = ["ministry", "partner", "system"],
        ["request-amendment"] = ["partner"], ["approve-amendment"] = ["ministry"], ["refuse-amendment"] = ["ministry"],
        ["complete"] = ["ministry"], ["revoke"] = ["ministry"], ["suspend"] = ["ministry", "system"], ["resume"] = ["ministry", "system"],
    };

    private static IEnumerable<TestCaseData> EveryActionAndRole() =>
        from action in ApprovalMachine.Actions
        from role in new[] { "ministry", "partner", "auditor", "system" }
        select new TestCaseData(action, role).SetName($"{action} by {role}");

    [TestCaseSource(nameof(EveryActionAndRole))]
    public void Every_action_and_role(string action, string role)
    {
        var state = Contract[action].From[0];
        var situation = new ApprovalSituation(state, "approved", "appraiser", new DateOnly(2025, 1, 10), false, Today);

        var decision = ApprovalMachine.Decide(situation, action, new ApprovalActor("someone", role, null), Complete, Limits);

        Assert.That(decision.Allowed, Is.EqualTo(RolesByAction[action].Contains(role)), decision.Refusal);
        if (!decision.Allowed)
        {
            Assert.That(decision.Kind, Is.EqualTo(ApprovalRefusalKind.Conflict));
            Assert.That(decision.Refusal, Does.Contain($"not {role}"), "the refusal names the role");
        }
    }

    [Test]
    public void Whoever_concluded_the_appraisal_may_not_approve_or_refuse_it()
    {
        var situation = new ApprovalSituation("appraised", null, ConcludedBy: "anh", null, false, Today);
        foreach (var action in new[] { "approve", "refuse" })
        {
            var same = ApprovalMachine.Decide(situation, action, new ApprovalActor("anh", "ministry", null), Complete, Limits);
            var other = ApprovalMachine.Decide(situation, action, new ApprovalActor("binh", "ministry", null), Complete, Limits);
            Assert.Multiple(() =>
            {
                Assert.That((same.Allowed, same.Kind), Is.EqualTo((false, ApprovalRefusalKind.Conflict)));
                Assert.That(same.Refusal, Does.Contain("maker-checker"));
                Assert.That(other.Allowed, Is.True, other.Refusal);
            });
        }
    }

    [TestCase("return", "reason")]
    [TestCase("approve", "decision")]
    public void An_action_missing_what_it_requires_is_invalid(string action, string named)
    {
        var state = Contract[action].From[0];
        var situation = new ApprovalSituation(state, null, "appraiser", null, false, Today);

        var decision = ApprovalMachine.Decide(situation, action, new ApprovalActor("checker", "ministry", null), new ApprovalAsk(" ", HasDecision: false), Limits);

        Assert.That((decision.Allowed, decision.Kind), Is.EqualTo((false, ApprovalRefusalKind.Invalid)));
        Assert.That(decision.Refusal, Does.Contain(named));
    }

    [TestCase("2026-06-02", false, true, TestName = "Revoke six months to the day after the decision, no money: allowed")]
    [TestCase("2026-06-03", false, false, TestName = "Revoke a day short of six months: refused")]
    [TestCase("2025-01-10", true, false, TestName = "Revoke after money moved: refused")]
    [TestCase(null, false, false, TestName = "Revoke without a decision date: refused")]
    public void Revocation_waits_six_months_without_disbursement(string? decided, bool disbursed, bool allowed)
    {
        var situation = new ApprovalSituation("approved", null, null, decided is null ? null : DateOnly.Parse(decided, System.Globalization.CultureInfo.InvariantCulture), disbursed, Today);

        var decision = ApprovalMachine.Decide(situation, "revoke", new ApprovalActor("checker", "ministry", null), Complete, Limits);

        Assert.That(decision.Allowed, Is.EqualTo(allowed), decision.Refusal);
        if (!allowed)
        {
            Assert.That(decision.Refusal, Does.Contain("6 months"));
        }
    }

    [Test]
    public void The_revocation_window_is_configuration()
    {
        var situation = new ApprovalSituation("approved", null, null, new DateOnly(2026, 10, 1), false, Today);
        var actor = new ApprovalActor("checker", "ministry", null);

        Assert.That(ApprovalMachine.Decide(situation, "revoke", actor, Complete, new ApprovalLimits(6)).Allowed, Is.False);
        Assert.That(ApprovalMachine.Decide(situation, "revoke", actor, Complete, new ApprovalLimits(2)).Allowed, Is.True);
    }

    [Test]
    public void Resume_and_amendment_decisions_go_back_to_the_state_they_interrupted()
    {
        var suspended = new ApprovalSituation("suspended", "under-appraisal", null, null, false, Today);
        var amending = new ApprovalSituation("amendment-pending", "in-implementation", null, null, false, Today);
        var ministry = new ApprovalActor("checker", "ministry", null);

        Assert.Multiple(() =>
        {
            Assert.That(ApprovalMachine.Decide(suspended, "resume", ApprovalActor.System, Complete, Limits).To, Is.EqualTo("under-appraisal"));
            Assert.That(ApprovalMachine.Decide(amending, "approve-amendment", ministry, Complete, Limits).To, Is.EqualTo("in-implementation"));
            Assert.That(ApprovalMachine.Decide(amending, "refuse-amendment", ministry, Complete, Limits).To, Is.EqualTo("in-implementation"));
        });
    }

    [Test]
    public void An_unknown_action_names_the_actions()
    {
        var decision = ApprovalMachine.Decide(new ApprovalSituation("draft", null, null, null, false, Today), "bless", ApprovalActor.System, Complete, Limits);

        Assert.That((decision.Allowed, decision.Kind), Is.EqualTo((false, ApprovalRefusalKind.UnknownAction)));
        Assert.That(decision.Refusal, Does.Contain("submit").And.Contain("resume"));
    }
}
