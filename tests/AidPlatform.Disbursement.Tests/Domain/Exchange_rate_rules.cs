using AidPlatform.Disbursement.Api.Domain;
using AidPlatform.Reference;
using AidPlatform.ServiceDefaults.Errors;
using AidPlatform.ServiceDefaults.Validation;

namespace AidPlatform.Disbursement.Tests.Domain;

public sealed class Exchange_rate_rules
{
    private static readonly IReadOnlyDictionary<string, int> Carried = ReferenceData.Instance.Currencies.MinorUnits;

    [Test]
    public void Read_a_valid_rate_for_the_first_day_of_its_month()
    {
        var errors = new ValidationErrors();

        var change = ExchangeRateRules.Validate("EUR", "2024-03", 0.912345m, Carried, errors);

        Assert.That(errors.Any, Is.False);
        Assert.That(change, Is.EqualTo(new RateChange("EUR", new(2024, 3, 1), 0.912345m)));
    }

    [TestCase("eur")]
    [TestCase("EURO")]
    [TestCase("E1R")]
    public void Refuse_a_currency_that_is_not_three_capitals(string currency) =>
        Assert.That(Faults(currency, "2024-03", 1m), Is.EqualTo(new Dictionary<string, string[]> { ["currency"] = ["currency must be an ISO 4217 code of three upper-case letters."] }));

    [TestCase(null, "unitsPerUsd must be more than 0 and less than 10^8.")]
    [TestCase("0", "unitsPerUsd must be more than 0 and less than 10^8.")]
    [TestCase("100000000", "unitsPerUsd must be more than 0 and less than 10^8.")]
    [TestCase("1.0000001", "unitsPerUsd has at most 6 decimals.")]
    public void Refuse_a_rate_out_of_bounds_or_with_more_than_six_decimals(string? unitsPerUsd, string message) =>
        Assert.That(Faults("EUR", "2024-03", unitsPerUsd is null ? null : decimal.Parse(unitsPerUsd, System.Globalization.CultureInfo.InvariantCulture)),
            Is.EqualTo(new Dictionary<string, string[]> { ["unitsPerUsd"] = [message] }));

    [TestCase("2024-13")]
    [TestCase("2024-3")]
    [TestCase("March")]
    public void Refuse_a_month_that_does_not_parse_as_unreadable_whatever_else_is_wrong(string month)
    {
        var refused = Assert.Throws<MalformedException>(() => ExchangeRateRules.Validate("eur", month, -1m, Carried, new ValidationErrors()));

        Assert.That(refused!.Errors, Is.EqualTo(new Dictionary<string, string[]> { ["month"] = ["expected a month YYYY-MM"] }));
    }

    [Test]
    public void Refuse_to_set_usd_and_a_currency_the_ledger_does_not_carry()
    {
        var usd = Assert.Throws<UnprocessableException>(() => ExchangeRateRules.Validate("USD", "2024-03", 1m, Carried, new ValidationErrors()));
        var gold = Assert.Throws<UnprocessableException>(() => ExchangeRateRules.Validate("XAU", "2024-03", 1m, Carried, new ValidationErrors()));

        Assert.That(usd!.Message, Is.EqualTo("USD is the base currency: its rate is 1."));
        Assert.That(gold!.Message, Is.EqualTo("XAU is not a currency the ledger carries."));
    }

    [Test]
    public void Read_a_list_filter_with_optional_currency_and_months()
    {
        Assert.That(ExchangeRateRules.ValidateFilter(null, null, null, new ValidationErrors()), Is.EqualTo(new RateFilter(null, null, null)));
        Assert.That(ExchangeRateRules.ValidateFilter("VND", "2024-01", "2024-06", new ValidationErrors()), Is.EqualTo(new RateFilter("VND", new(2024, 1, 1), new(2024, 6, 1))));
        Assert.That(ExchangeRateRules.ValidateFilter("vnd", null, null, new ValidationErrors()), Is.Null);
        Assert.Throws<MalformedException>(() => ExchangeRateRules.ValidateFilter(null, "2024-00", null, new ValidationErrors()));
    }

    private static Dictionary<string, string[]> Faults(string currency, string month, decimal? unitsPerUsd)
    {
        var errors = new ValidationErrors();
        Assert.That(ExchangeRateRules.Validate(currency, month, unitsPerUsd, Carried, errors), Is.Null);
        return errors.Faults();
    }
}
