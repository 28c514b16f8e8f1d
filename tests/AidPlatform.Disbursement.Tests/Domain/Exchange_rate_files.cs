using System.Text;
using AidPlatform.Disbursement.Api.Domain;
using AidPlatform.Reference;
using AidPlatform.ServiceDefaults.Validation;

namespace AidPlatform.Disbursement.Tests.Domain;

public sealed class Exchange_rate_files
{
    private static readonly IReadOnlyDictionary<string, int> Carried = ReferenceData.Instance.Currencies.MinorUnits;

    [Test]
    public void Read_each_line_into_a_rate_columns_in_any_order_others_ignored_values_trimmed()
    {
        var errors = new ValidationErrors();

        var rates = Read("currency,note,unitsPerUsd,month\nEUR,x,0.912345,2026-10\n VND ,\"a, b\", 25450 , 2026-11 \n", errors);

        Assert.That(errors.Any, Is.False, string.Join("; ", errors.Entries));
        Assert.That(rates, Is.EqualTo(new[] { new RateChange("EUR", new(2026, 10, 1), 0.912345m), new RateChange("VND", new(2026, 11, 1), 25450m) }));
    }

    [TestCase("2026-13,EUR,0.9", "month", "month must be a month as YYYY-MM.")]
    [TestCase("2026-1,EUR,0.9", "month", "month must be a month as YYYY-MM.")]
    [TestCase(",EUR,0.9", "month", "month must be a month as YYYY-MM.")]
    [TestCase("1899-12,EUR,0.9", "month", "month must be between 1900-01 and 2199-12.")]
    [TestCase("2026-10,eur,0.9", "currency", "currency must be an ISO 4217 code of three upper-case letters.")]
    [TestCase("2026-10,USD,1", "currency", "USD is the base currency: its rate is 1.")]
    [TestCase("2026-10,XAU,0.0004", "currency", "XAU is not a currency the ledger carries.")]
    [TestCase("2026-10,EUR,", "unitsPerUsd", "unitsPerUsd must be a number such as 25450.5.")]
    [TestCase("2026-10,EUR,-0.9", "unitsPerUsd", "unitsPerUsd must be a number such as 25450.5.")]
    [TestCase("2026-10,EUR,1e3", "unitsPerUsd", "unitsPerUsd must be a number such as 25450.5.")]
    [TestCase("2026-10,EUR,\"0,9\"", "unitsPerUsd", "unitsPerUsd must be a number such as 25450.5.")]
    [TestCase("2026-10,EUR,0", "unitsPerUsd", "unitsPerUsd must be more than 0 and less than 10^8.")]
    [TestCase("2026-10,EUR,100000000", "unitsPerUsd", "unitsPerUsd must be more than 0 and less than 10^8.")]
    [TestCase("2026-10,EUR,0.1234567", "unitsPerUsd", "unitsPerUsd has at most 6 decimals.")]
    public void Refuse_a_bad_value_naming_its_line_and_field(string line, string field, string message)
    {
        var errors = new ValidationErrors();

        var rates = Read($"month,currency,unitsPerUsd\n2026-09,EUR,0.91\n{line}\n", errors);

        Assert.That(rates, Is.Null, "all or nothing: the good line is not read either");
        Assert.That(errors.Faults(), Is.EqualTo(new Dictionary<string, string[]> { [$"lines[2].{field}"] = [message] }));
    }

    [Test]
    public void Name_every_fault_of_every_line_at_once()
    {
        var errors = new ValidationErrors();

        Read("month,currency,unitsPerUsd\n2026-13,usd,x\n2026-10,EUR,0.9\n2026-11,XAU,0\n", errors);

        Assert.That(errors.Faults().Keys, Is.EquivalentTo(new[]
        {
            "lines[1].month", "lines[1].currency", "lines[1].unitsPerUsd", "lines[3].currency", "lines[3].unitsPerUsd",
        }));
    }

    [Test]
    public void Refuse_a_currency_month_given_twice_naming_the_line_it_was_first_on()
    {
        var errors = new ValidationErrors();

        var rates = Read("month,currency,unitsPerUsd\n2026-10,EUR,0.9\n2026-10,GBP,0.8\n2026-10,EUR,0.9\n", errors);

        Assert.That(rates, Is.Null);
        Assert.That(errors.Faults(), Is.EqualTo(new Dictionary<string, string[]>
        {
            ["lines[3].month"] = ["EUR 2026-10 is also on line 1: one rate per currency and month."],
        }));
    }

    [TestCase("", "header")]
    [TestCase("month,currency\n2026-10,EUR\n", "header")]
    [TestCase("projectId,type,amount,currency,valueDate,provinceCode,reference,description\n", "header")]
    [TestCase("month,currency,unitsPerUsd\n", "file")]
    [TestCase("month,currency,unitsPerUsd", "file")]
    public void Refuse_a_file_without_the_header_or_without_lines(string file, string field)
    {
        var errors = new ValidationErrors();

        Assert.That(Read(file, errors), Is.Null);
        Assert.That(errors.Faults().Keys, Is.EqualTo(new[] { field }));
    }

    [Test]
    public void Refuse_more_lines_than_the_limit_whole()
    {
        // Every line valid and its own currency-month: only their number is wrong.
        var currencies = Carried.Keys.Where(c => c != "USD").Order(StringComparer.Ordinal).ToArray();
        var file = new StringBuilder("month,currency,unitsPerUsd\n");
        for (var i = 0; i <= ExchangeRateCsv.MaxLines; i++)
        {
            var month = i / currencies.Length;
            file.Append(System.Globalization.CultureInfo.InvariantCulture, $"{1900 + month / 12}-{1 + month % 12:00},{currencies[i % currencies.Length]},0.9\n");
        }

        var errors = new ValidationErrors();

        Assert.That(Read(file.ToString(), errors), Is.Null);
        Assert.That(errors.Faults(), Is.EqualTo(new Dictionary<string, string[]> { ["file"] = ["The file has more than 50,000 lines; upload it in parts."] }));
    }

    [Test]
    public void Stop_listing_faults_past_the_limit()
    {
        var file = "month,currency,unitsPerUsd\n" + string.Concat(Enumerable.Repeat("2026-10,EUR,0\n", 2 * ExchangeRateCsv.MaxFaults));
        var errors = new ValidationErrors();

        Assert.That(Read(file, errors), Is.Null);
        Assert.That(errors.Count, Is.EqualTo(ExchangeRateCsv.MaxFaults + 1));
        Assert.That(errors.Faults()["file"], Is.EqualTo(new[] { "The file has more faults than the 1,000 listed." }));
    }

    private static IReadOnlyList<RateChange>? Read(string file, ValidationErrors errors) => ExchangeRateCsv.Read(new StringReader(file), Carried, errors);
}
