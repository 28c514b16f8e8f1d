namespace AidPlatform.Contracts.Registry;

/// <summary>
/// A registration certificate expires soon: published once per certificate 90, 30 and 7 days before
/// <c>ExpiresOn</c> (Vietnam's calendar day), for a certificate neither revoked nor replaced by then.
/// </summary>
public sealed record RegistrationExpiring
{
    public required Guid EventId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid RegistrationId { get; init; }
    public required Guid NgoId { get; init; }
    public required string CertificateNumber { get; init; }
    public required DateOnly ExpiresOn { get; init; }
    /// <summary>90, 30 or 7.</summary>
    public required int DaysBefore { get; init; }
}
