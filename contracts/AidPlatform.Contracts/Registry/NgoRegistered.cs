namespace AidPlatform.Contracts.Registry;

/// <summary>A new NGO was entered in the registry. Carries the NGO's full state.</summary>
public sealed record NgoRegistered
{
    public required Guid EventId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid NgoId { get; init; }
    /// <summary>Increases with every change of the NGO; consumers ignore a state older than the one they hold.</summary>
    public required int Version { get; init; }
    public required string Name { get; init; }
    public string? Acronym { get; init; }
    /// <summary>ISO 3166-1 alpha-2.</summary>
    public required string CountryOfOrigin { get; init; }
    public string? IatiOrgRef { get; init; }
    public string? Website { get; init; }
    public string? Email { get; init; }
    /// <summary><c>active</c>, <c>expired</c> or <c>unregistered</c> at the time of the event.</summary>
    public required string Status { get; init; }
}
