namespace AidPlatform.Contracts.Registry;

/// <summary>A project was registered. Carries the project's full state, so consumers never call back.</summary>
public sealed record ProjectRegistered
{
    public required Guid EventId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid ProjectId { get; init; }
    /// <summary>Increases with every change of the project; consumers ignore a state older than the one they hold.</summary>
    public required int Version { get; init; }
    public required Guid NgoId { get; init; }
    public required string Title { get; init; }
    public string? IatiIdentifier { get; init; }
    /// <summary>pipeline, implementation, finalisation, closed, cancelled or suspended (IATI ActivityStatus 1-6).</summary>
    public required string Status { get; init; }
    public required DateOnly StartDate { get; init; }
    public DateOnly? EndDate { get; init; }
    public required decimal BudgetAmount { get; init; }
    public required string BudgetCurrency { get; init; }
    public required IReadOnlyList<ProjectSector> Sectors { get; init; }
    public required IReadOnlyList<ProjectLocation> Locations { get; init; }
    /// <summary>IATI policy markers; empty in events published before markers existed.</summary>
    public IReadOnlyList<ProjectPolicyMarker> PolicyMarkers { get; init; } = [];
    /// <summary>
    /// The project's approval state (API.md "Approval of aid projects": draft, submitted, withdrawn, under-appraisal,
    /// appraised, approved, refused, in-implementation, amendment-pending, completed, revoked, suspended). Every
    /// transition publishes <see cref="ProjectUpdated"/> with a new version. Events published before approval existed
    /// carry none: those projects are approved.
    /// </summary>
    public string ApprovalState { get; init; } = "approved";
}
