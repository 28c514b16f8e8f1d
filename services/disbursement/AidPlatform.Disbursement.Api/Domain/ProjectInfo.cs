namespace AidPlatform.Disbursement.Api.Domain;

/// <summary>
/// What the ledger keeps of a registry project, from its events or over HTTP: whose it is, whether rows may still
/// name it (its IATI status and its approval state), its period and the current province codes it covers. The
/// newest <see cref="Version"/> wins.
/// </summary>
public sealed record ProjectInfo(Guid Id, Guid NgoId, string Status, DateOnly StartDate, DateOnly? EndDate, int Version,
    string ApprovalState, string[] Provinces);
