namespace AidPlatform.Contracts.Disbursement;

/// <summary>
/// One part of a CSV import's rows, recorded in the ledger together with the rest of the file. An import
/// publishes its rows in parts of a few hundred instead of one event per row, so that a file of a million
/// rows is a thousand messages. Each entry is exactly the <see cref="DisbursementRecorded"/> a single POST of
/// that row publishes.
/// </summary>
public sealed record DisbursementsImported
{
    public required Guid EventId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid ImportId { get; init; }
    /// <summary>This part's number, from 1 to <see cref="Parts"/>.</summary>
    public required int Part { get; init; }
    public required int Parts { get; init; }
    public required IReadOnlyList<DisbursementRecorded> Entries { get; init; }
}
