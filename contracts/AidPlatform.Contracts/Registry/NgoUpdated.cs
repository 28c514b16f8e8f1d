namespace AidPlatform.Contracts.Registry;

/// <summary>An NGO's details changed. Carries the NGO's full state after the change.</summary>
public sealed record NgoUpdated
{
    public required Guid EventId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid NgoId { get; init; }
    /// <summary>Increases with every change of the NGO; consumers ignore a state older than the one they hold.</summary>
    public required int Version { get; init; }
    public required string Name { get; init; }
    public string? Acronym { get; init; }
    public required string CountryOfOrigin { get; init; }
    public string? IatiOrgRef { get; init; }
    public string? Website { get; init; }
    public string? Email { get; init; }
    public required string Status { get; init; }
}
