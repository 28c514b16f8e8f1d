namespace AidPlatform.Contracts.Registry;

/// <summary>A registration certificate (Decree 58/2022/ND-CP) was recorded for an NGO.</summary>
public sealed record RegistrationRecorded
{
    public required Guid EventId { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required Guid RegistrationId { get; init; }
    public required Guid NgoId { get; init; }
    /// <summary><c>operation</c> or <c>representative-office</c>.</summary>
    public required string Kind { get; init; }
    public required string CertificateNumber { get; init; }
    public required DateOnly IssuedOn { get; init; }
    public required DateOnly ExpiresOn { get; init; }
    /// <summary>The current (post-2025) province codes the certificate covers.</summary>
    public required IReadOnlyList<string> ProvinceCodes { get; init; }
    /// <summary>DAC 3-digit sector categories the certificate covers.</summary>
    public required IReadOnlyList<string> SectorCategories { get; init; }
    /// <summary>The NGO's derived status after this registration.</summary>
    public required string NgoStatus { get; init; }
    /// <summary>Increases with every change of the certificate (<see cref="RegistrationChanged"/>); 1 when recorded.</summary>
    public int Version { get; init; } = 1;
}
