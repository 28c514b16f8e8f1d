namespace AidPlatform.Contracts.Registry;

/// <summary>A project's result (output, outcome, impact or other) was recorded. Carries its full state.</summary>
public sealed record ResultRecorded
{
    public required Guid EventId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid ResultId { get; init; }
    /// <summary>Increases with every change of the result; consumers ignore a state older than the one they hold.</summary>
    public required int Version { get; init; }
    public required Guid ProjectId { get; init; }
    public required Guid NgoId { get; init; }
    /// <summary>output, outcome, impact or other (IATI ResultType 1, 2, 3, 9).</summary>
    public required string Type { get; init; }
    public required string Title { get; init; }
    public string? Description { get; init; }
    public required IReadOnlyList<ResultIndicator> Indicators { get; init; }
}
