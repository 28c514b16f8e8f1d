namespace AidPlatform.Registry.Api.Domain;

/// <summary>
/// When a certificate's coming expiry is announced (<c>RegistrationExpiring</c>): 90, 30 and 7 days before, in
/// Vietnam's day. A ministry wants one notice saying how near the expiry is, not three at once: a certificate first
/// seen 20 days before expiry gets the 30-day notice, and its 90-day mark is passed over without one. Each mark is
/// noted once per certificate and expiry date, so an extended certificate is announced again for its new date.
/// </summary>
public static class ExpiryMarks
{
    /// <summary>Loosest first.</summary>
    public static readonly IReadOnlyList<int> Days = [90, 30, 7];

    /// <summary>The tightest mark reached on <paramref name="today"/>; null before 90 days and once the certificate has expired.</summary>
    public static int? Tightest(DateOnly expiresOn, DateOnly today)
    {
        var left = expiresOn.DayNumber - today.DayNumber;
        return left < 0 ? null : Days.Where(d => left <= d).Cast<int?>().Min();
    }

    /// <summary>The marks to note on <paramref name="today"/>: the tightest reached, published, and the looser ones, passed over.</summary>
    public static IReadOnlyList<(int DaysBefore, bool Publish)> Due(DateOnly expiresOn, DateOnly today) =>
        Tightest(expiresOn, today) is { } tightest
            ? Days.Where(d => d >= tightest).Select(d => (d, d == tightest)).ToList()
            : [];
}
