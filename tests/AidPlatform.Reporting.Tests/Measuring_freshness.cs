using AidPlatform.Reporting.Api.Domain;

namespace AidPlatform.Reporting.Tests;

public sealed class Measuring_freshness
{
    [Test]
    public void Gives_the_lag_in_seconds_to_the_millisecond()
    {
        var occurred = new DateTimeOffset(2024, 3, 10, 8, 0, 0, TimeSpan.Zero);

        var freshness = FreshnessDto.Of(12, occurred, occurred.AddTicks(15_004_999), 7, 7);

        Assert.That(freshness, Is.EqualTo(new FreshnessDto(occurred, 12, 1.500m, 0, true)));
    }

    [Test]
    public void Has_no_last_event_and_no_lag_before_the_first_event()
    {
        Assert.That(FreshnessDto.Of(0, null, null, 0, 0), Is.EqualTo(new FreshnessDto(null, 0, null, 0, true)));
    }

    [Test]
    public void Counts_the_ledger_entries_not_yet_projected()
    {
        Assert.That(FreshnessDto.Of(40, null, null, 45, 38), Is.EqualTo(new FreshnessDto(null, 40, null, 7, false)));
    }

    [Test]
    public void Never_counts_below_zero_and_knows_nothing_when_the_ledger_cannot_be_asked()
    {
        Assert.Multiple(() =>
        {
            Assert.That(FreshnessDto.Of(3, null, null, 2, 3).PendingEvents, Is.Zero, "an entry recorded after the ledger was asked");
            Assert.That(FreshnessDto.Of(3, null, null, null, 3), Is.EqualTo(new FreshnessDto(null, 3, null, null, null)));
        });
    }
}
