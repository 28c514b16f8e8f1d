using AidPlatform.Registry.Api.Data;
using AidPlatform.Registry.Api.Domain;

namespace AidPlatform.Registry.Tests;

/// <summary>The appraisal's due date from the configured limits and the holiday file.</summary>
public sealed class Approval_limits
{
    private static readonly HashSet<DateOnly> Tet2026 = [new(2026, 2, 16), new(2026, 2, 17), new(2026, 2, 18), new(2026, 2, 19), new(2026, 2, 20)];

    [Test]
    public void Working_days_skip_weekends()
    {
        // Monday 2026-11-02 + 20 working days = four weeks later, Monday 2026-11-30.
        Assert.That(new ApprovalLimits(6, 20, true).DueBy(new DateOnly(2026, 11, 2)), Is.EqualTo(new DateOnly(2026, 11, 30)));
    }

    [Test]
    public void Working_days_skip_holidays_too()
    {
        // Friday 2026-02-13 + 5 working days: the Tet week is off, so Friday 2026-02-27.
        Assert.That(new ApprovalLimits(6, 5, true, Tet2026).DueBy(new DateOnly(2026, 2, 13)), Is.EqualTo(new DateOnly(2026, 2, 27)));
    }

    [Test]
    public void Calendar_days_count_every_day()
    {
        Assert.That(new ApprovalLimits(6, 20, false, Tet2026).DueBy(new DateOnly(2026, 2, 13)), Is.EqualTo(new DateOnly(2026, 3, 5)));
    }

    [Test]
    public void The_shipped_holiday_file_is_read_with_the_configured_limits()
    {
        var limits = new ApprovalOptions { AppraisalDays = 3, RevocationMonths = 9 }.Limits();
        Assert.That(limits.Holidays, Does.Contain(new DateOnly(2026, 9, 2)));
        Assert.That(limits.RevocationMonths, Is.EqualTo(9));
        // Tuesday 2026-09-01 is a holiday, as is the 2nd: from Monday 2026-08-31, three working days are the 3rd, the 4th and Monday 2026-09-07.
        Assert.That(limits.DueBy(new DateOnly(2026, 8, 31)), Is.EqualTo(new DateOnly(2026, 9, 7)));
    }

    [Test]
    public void An_unknown_day_kind_is_refused_at_start()
    {
        Assert.That(() => new ApprovalOptions { AppraisalDayKind = "lunar" }.Limits(), Throws.InvalidOperationException.With.Message.Contains("working or calendar"));
    }
}
