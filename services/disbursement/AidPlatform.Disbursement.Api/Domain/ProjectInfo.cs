namespace AidPlatform.Disbursement.Api.Domain;

/// <summary>
/// What the ledger keeps of a registry project, from its events or over HTTP: whose it is and whether rows
/// may still name it. The newest <see cref="Version"/> wins.
/// </summary>
public sealed record ProjectInfo(Guid Id, Guid NgoId, string Status, DateOnly StartDate, DateOnly? EndDate, int Version);
