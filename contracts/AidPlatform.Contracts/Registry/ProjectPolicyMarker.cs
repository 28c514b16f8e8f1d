namespace AidPlatform.Contracts.Registry;

/// <summary>
/// An IATI policy marker a project carries: <c>Code</c> from the PolicyMarker codelist ("1" gender equality …
/// "12" nutrition), <c>Significance</c> from PolicySignificance (0 not targeted, 1 significant, 2 principal,
/// 3 principal objective and in support of an action programme (code 8 only), 4 explicit primary objective (code 9 only)).
/// </summary>
public sealed record ProjectPolicyMarker
{
    public required string Code { get; init; }
    public required int Significance { get; init; }
}
