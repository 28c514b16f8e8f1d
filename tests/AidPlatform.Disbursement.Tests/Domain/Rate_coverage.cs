using AidPlatform.Disbursement.Api.Domain;
using AidPlatform.ServiceDefaults.Validation;

namespace AidPlatform.Disbursement.Tests.Domain;

public sealed class Rate_coverage
{
    [Test]
    public void The_refusal_names_the_currency_its_month_and_the_months_it_may_fall_back_to()
    {
        Assert.That(RateCoverage.Missing("EUR", new(2026, 10, 17)),
            Is.EqualTo("No EUR rate for 2026-10 (nor 2026-07..2026-09); upload one at /api/v1/exchange-rates/imports."));
        Assert.That(RateCoverage.Missing("VND", new(2026, 2, 1)),
            Is.EqualTo("No VND rate for 2026-02 (nor 2025-11..2026-01); upload one at /api/v1/exchange-rates/imports."));
    }

    [Test]
    public void A_gap_is_the_value_dates_month_of_a_carried_currency_with_no_rate_in_it_or_the_three_before()
    {
        // Given: VND has 2025-01 only, EUR 2024-02 and 2024-03, today is 2025-06-15.
        Assert.That(Gap("VND", new(2025, 5, 31)), Is.EqualTo(("VND", new DateOnly(2025, 5, 1))));
        Assert.That(Gap("EUR", new(2024, 7, 1)), Is.EqualTo(("EUR", new DateOnly(2024, 7, 1))));
    }

    [Test]
    public void No_gap_where_a_rate_applies_or_none_is_needed()
    {
        Assert.Multiple(() =>
        {
            Assert.That(Gap("VND", new(2025, 4, 30)), Is.Null, "2025-01 is three months back");
            Assert.That(Gap("USD", new(2025, 5, 1)), Is.Null, "USD needs no rate");
            Assert.That(Gap("XAU", new(2025, 5, 1)), Is.Null, "not a currency the ledger carries");
            Assert.That(Gap("EUR", new(2025, 7, 1)), Is.Null, "a value date in the future is refused for that, and needs no rate yet");
            Assert.That(Gap("EUR", new(1800, 7, 1)), Is.Null, "not a plausible date");
            Assert.That(RateCoverage.Gap(Given.Request() with { ValueDate = null }, Given.Reference()), Is.Null);
        });
    }

    [Test]
    public void Misses_count_the_entries_per_gap()
    {
        var requests = new DisbursementRequest?[]
        {
            Given.Request() with { Currency = "VND", ValueDate = new(2025, 5, 2) },
            null,
            Given.Request() with { Currency = "VND", ValueDate = new(2025, 5, 20) },
            Given.Request() with { Currency = "EUR", ValueDate = new(2024, 8, 1) },
            Given.Request(),
        };

        var misses = RateMisses.Of(requests, Given.Reference());

        Assert.That(misses.Counts, Is.EquivalentTo(new Dictionary<(string, DateOnly), long>
        {
            [("VND", new(2025, 5, 1))] = 2,
            [("EUR", new(2024, 8, 1))] = 1,
        }));
    }

    [Test]
    public void Read_the_coverage_filter()
    {
        Assert.That(RateCoverage.ValidateFilter(null, null, new ValidationErrors()), Is.EqualTo(new CoverageFilter(null, false)));
        Assert.That(RateCoverage.ValidateFilter("EUR", true, new ValidationErrors()), Is.EqualTo(new CoverageFilter("EUR", true)));
        var errors = new ValidationErrors();
        Assert.That(RateCoverage.ValidateFilter("eur", null, errors), Is.Null);
        Assert.That(errors.Faults().Keys, Is.EqualTo(new[] { "currency" }));
    }

    private static (string, DateOnly)? Gap(string currency, DateOnly valueDate) =>
        RateCoverage.Gap(Given.Request() with { Currency = currency, ValueDate = valueDate }, Given.Reference());
}
