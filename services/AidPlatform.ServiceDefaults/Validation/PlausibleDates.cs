namespace AidPlatform.ServiceDefaults.Validation;

/// <summary>
/// The dates the platform accepts from a caller. Aid records fall well inside; the bounds keep date
/// arithmetic (a certificate's term, the months before a rate) away from year 1 and year 9999.
/// </summary>
public static class PlausibleDates
{
    public static readonly DateOnly Earliest = new(1900, 1, 1);
    public static readonly DateOnly Latest = new(2199, 12, 31);

    public static bool Contains(DateOnly date) => date >= Earliest && date <= Latest;

    public const string Message = "must be between 1900-01-01 and 2199-12-31.";
}
