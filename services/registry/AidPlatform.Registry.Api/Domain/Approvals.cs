using System.ComponentModel.DataAnnotations;

namespace AidPlatform.Registry.Api.Domain;

/// <summary>The decision that approved a project: its number, date and the authority that signed it.</summary>
public sealed record DecisionDto(
    [property: Required, StringLength(100, MinimumLength = 1)] string? Number,
    [property: Required] DateOnly? Date,
    [property: Required, StringLength(300, MinimumLength = 1)] string? Authority);

/// <summary>A document filed with an approval action: what it is and where it lies.</summary>
public sealed record ApprovalDocument(
    [property: Required, StringLength(300, MinimumLength = 1)] string? Title,
    [property: Required, Url, StringLength(2000)] string? Url);

/// <summary>A project's approval: its state, the decision (once approved), and while the ministry holds the dossier, when it is due.</summary>
public sealed record ApprovalDto([property: ApprovalState] string State, DecisionDto? Decision, DateOnly? DueBy, bool Overdue);

/// <summary>What a caller sends with an approval action; which fields an action needs is the machine's rule.</summary>
public sealed record ApprovalActionRequest(
    [property: StringLength(2000)] string? Reason = null,
    DecisionDto? Decision = null,
    [property: MaxLength(20)] List<ApprovalDocument>? Documents = null);

/// <summary>What a ministry caller may send when registering a project whose approval was already given.</summary>
public sealed record ApprovalGiven(DecisionDto? Decision);

/// <summary>Who took an approval action: the token's subject and role, and a partner's NGO.</summary>
public sealed record ApprovalActorDto(string Subject, string Role, Guid? NgoId);

/// <summary>One transition of a project's approval.</summary>
public sealed record ApprovalTransitionDto(string Action, string? From, [property: ApprovalState] string To, ApprovalActorDto Actor, DateTimeOffset At,
    string? Reason, DecisionDto? Decision, IReadOnlyList<ApprovalDocument> Documents);

/// <summary>A project in the approvals list: which, whose, and where its approval stands.</summary>
public sealed record ApprovalListItem(Guid ProjectId, Guid NgoId, string Title, ApprovalDto Approval, int Version);

/// <summary>The approval states as the API spells them.</summary>
public sealed class ApprovalStateAttribute() : AllowedValuesAttribute([.. ApprovalStates.All]);
