namespace AidPlatform.Contracts.Registry;

/// <summary>
/// A registration certificate was amended, extended, suspended, reinstated or revoked (Decree 58/2022/ND-CP,
/// Art. 7-9). Carries the certificate's full state after the action, so a consumer can decide whether it was
/// valid on any date: from <c>IssuedOn</c> to <c>ExpiresOn</c>, outside every interruption.
/// </summary>
public sealed record RegistrationChanged
{
    public required Guid EventId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid RegistrationId { get; init; }
    /// <summary>Increases with every change; consumers ignore a state older than the one they hold.</summary>
    public required int Version { get; init; }
    public required Guid NgoId { get; init; }
    /// <summary>amend, extend, suspend, reinstate or revoke.</summary>
    public required string Action { get; init; }
    public required DateOnly EffectiveOn { get; init; }
    public string? Reason { get; init; }
    /// <summary><c>operation</c> or <c>representative-office</c>.</summary>
    public required string Kind { get; init; }
    public required string CertificateNumber { get; init; }
    public required DateOnly IssuedOn { get; init; }
    public required DateOnly ExpiresOn { get; init; }
    /// <summary>valid, suspended or revoked (as of the action; expiry is read from the dates).</summary>
    public required string Status { get; init; }
    /// <summary>The current (post-2025) province codes the certificate covers.</summary>
    public required IReadOnlyList<string> ProvinceCodes { get; init; }
    /// <summary>DAC 3-digit sector categories the certificate covers.</summary>
    public required IReadOnlyList<string> SectorCategories { get; init; }
    /// <summary>The spans in which the certificate was not valid: suspensions (ended by a reinstatement) and a revocation (open-ended).</summary>
    public required IReadOnlyList<CertificateInterruption> Interruptions { get; init; }
    /// <summary>The NGO's derived status after this change.</summary>
    public required string NgoStatus { get; init; }
}

/// <summary>A span in which a certificate was not valid: <c>From</c> inclusive, <c>Until</c> exclusive (null: still).</summary>
public sealed record CertificateInterruption
{
    /// <summary><c>suspension</c> or <c>revocation</c>.</summary>
    public required string Kind { get; init; }
    public required DateOnly From { get; init; }
    public DateOnly? Until { get; init; }
}
