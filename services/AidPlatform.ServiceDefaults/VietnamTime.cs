namespace AidPlatform.ServiceDefaults;

/// <summary>
/// Every date rule of the contract ("today", a value date in the future, validity, overdue) uses Vietnam's
/// calendar day; instants stay UTC on the wire. SQL says the same with <c>now() at time zone 'Asia/Ho_Chi_Minh'</c>.
/// </summary>
public static class VietnamTime
{
    public static readonly TimeZoneInfo Zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Ho_Chi_Minh");

    public static DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Zone).DateTime);
}
