using System.Globalization;
using AidPlatform.Registry.Api.Domain;

namespace AidPlatform.Registry.Api.Data;

/// <summary>
/// The approval's time limits, from configuration (<c>Approval:*</c>), and the holiday calendar working days skip,
/// from a file (<c>Approval:HolidayFile</c>, lines <c>yyyy-MM-dd,name</c>): both data, so a new decree or next
/// year's holidays change no code.
/// </summary>
public sealed class ApprovalOptions
{
    public const string Section = "Approval";

    /// <summary>Days the ministry has to appraise and decide a complete (submitted) dossier.</summary>
    public int AppraisalDays { get; set; } = 20;

    /// <summary><c>working</c> (skip weekends and holidays) or <c>calendar</c>.</summary>
    public string AppraisalDayKind { get; set; } = "working";

    /// <summary>Months after the decision with no disbursement before an approval may be revoked.</summary>
    public int RevocationMonths { get; set; } = 6;

    /// <summary>The holiday file, relative to the service's directory unless rooted.</summary>
    public string HolidayFile { get; set; } = "holidays-vn.csv";

    public ApprovalLimits Limits()
    {
        if (AppraisalDayKind is not ("working" or "calendar"))
        {
            throw new InvalidOperationException($"Approval:AppraisalDayKind must be working or calendar, not '{AppraisalDayKind}'.");
        }

        var path = Path.IsPathRooted(HolidayFile) ? HolidayFile : Path.Combine(AppContext.BaseDirectory, HolidayFile);
        var holidays = File.ReadLines(path)
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#') && !line.StartsWith("date", StringComparison.Ordinal))
            .Select(line => DateOnly.ParseExact(line.Split(',')[0].Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture))
            .ToHashSet();
        return new ApprovalLimits(RevocationMonths, AppraisalDays, AppraisalDayKind == "working", holidays);
    }
}
