using AidPlatform.ServiceDefaults.Errors;
using AidPlatform.ServiceDefaults.Validation;

namespace AidPlatform.Registry.Api.Domain;

/// <summary>The approval rules around the state machine: who may still change a project, and how its approval reads.</summary>
public static class ApprovalRules
{
    /// <summary>A partner changes its dossier only while it is a draft; the ministry in any state but a final one (409 otherwise).</summary>
    public static void CheckEditable(string state, bool byPartner)
    {
        if (byPartner && state != ApprovalStates.Draft)
        {
            throw new ConflictException($"A partner may change its project only while it is a draft; it is {state}. Ask for an amendment (request-amendment) instead.");
        }

        if (ApprovalStates.Final.Contains(state))
        {
            throw new ConflictException($"The project is {state}, a final state: it can no longer change.");
        }
    }

    /// <summary>A project's approval as the API answers it: the decision once given, dueBy while the ministry holds the dossier.</summary>
    public static ApprovalDto Approval(string state, string? decisionNumber, DateOnly? decisionDate, string? decisionAuthority, DateOnly? dueBy, DateOnly today)
    {
        var decision = decisionNumber is null ? null : new DecisionDto(decisionNumber, decisionDate, decisionAuthority);
        var due = ApprovalLimits.Pending.Contains(state) ? dueBy : null;
        return new ApprovalDto(state, decision, due, due is { } d && today > d);
    }

    /// <summary>A decision is signed on a day that has come (Vietnam's calendar).</summary>
    public static void CheckDecision(DecisionDto? decision, DateOnly today, ValidationErrors errors, string prefix)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (decision?.Date is { } date)
        {
            errors.Require(date <= today, prefix + "date", $"The decision date {date:yyyy-MM-dd} is in the future.");
        }
    }
}
