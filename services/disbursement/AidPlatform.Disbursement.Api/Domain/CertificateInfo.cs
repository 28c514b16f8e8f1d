namespace AidPlatform.Disbursement.Api.Domain;

/// <summary>
/// What the ledger keeps of an NGO's registration certificate, from the registry's events or over HTTP: its dates,
/// the current province codes it covers and the spans it was interrupted (suspended, revoked). The newest
/// <see cref="Version"/> wins. <see cref="Status"/> (valid, suspended, revoked) is as of the last change, for
/// reading; validity on a date comes from the dates and the interruptions.
/// </summary>
public sealed record CertificateInfo(Guid Id, Guid NgoId, int Version, DateOnly IssuedOn, DateOnly ExpiresOn, string Status,
    IReadOnlyList<string> Provinces, IReadOnlyList<CertificateGap> Interruptions)
{
    /// <summary>Valid on <paramref name="date"/>: issued, not expired, and in no interruption.</summary>
    public bool ValidOn(DateOnly date)
    {
        if (date < IssuedOn || date > ExpiresOn)
        {
            return false;
        }

        foreach (var gap in Interruptions)
        {
            if (gap.Covers(date))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>A span in which a certificate was not valid: <see cref="From"/> inclusive, <see cref="Until"/> exclusive (null: still).</summary>
public sealed record CertificateGap(string Kind, DateOnly From, DateOnly? Until)
{
    public bool Covers(DateOnly date) => From <= date && (Until is not { } until || date < until);
}
