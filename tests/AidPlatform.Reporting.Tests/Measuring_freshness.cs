using AidPlatform.Reporting.Api.Domain;

namespace AidPlatform.Reporting.Tests;

public sealed class Measuring_freshness
{
    [Test]
    public void Gives_the_lag_in_seconds_to_the_millisecond()
    {
        var occurred = new DateTimeOffset(2024, 3, 10, 8, 0, 0, TimeSpan.Zero);

        var freshness = FreshnessDto.Of(12, occurred, occurred.AddTicks(15_004_999));

        Assert.That(freshness, Is.EqualTo(new FreshnessDto(occurred, 12, 1.500m)));
    }

    [Test]
    public void Has_no_last_event_and_no_lag_before_the_first_event()
    {
        Assert.That(FreshnessDto.Of(0, null, null), Is.EqualTo(new FreshnessDto(null, 0, null)));
    }
}
