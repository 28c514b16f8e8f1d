using AidPlatform.Reporting.Api.Domain;

namespace AidPlatform.Reporting.Tests;

/// <summary>The CSV download: RFC 4180 quoting, and no cell a spreadsheet would run as a formula.</summary>
public sealed class Writing_a_breakdown_as_csv
{
    private const string Header = "key,label,committedUsd,disbursedUsd,expenditureUsd,transactionCount\n";

    private static string Csv(params (string Key, string Label)[] rows) => BreakdownCsv.Write(new Breakdown("ngo",
        [.. rows.Select(r => new BreakdownRow(r.Key, r.Label, 0m, 1m, 0m, 1))],
        new Amounts(0m, rows.Length, 0m, rows.Length)));

    [Test]
    public void Writes_the_header_and_one_line_per_row_with_invariant_amounts()
    {
        var breakdown = new Breakdown("province", [new BreakdownRow("01", "Hà Nội", 1234.5m, 0.01m, 0m, 3)], new Amounts(1234.5m, 0.01m, 0m, 3));

        Assert.That(BreakdownCsv.Write(breakdown), Is.EqualTo(Header + "01,Hà Nội,1234.5,0.01,0,3\n"));
    }

    [Test]
    public void Writes_only_the_header_for_an_empty_breakdown()
    {
        Assert.That(Csv(), Is.EqualTo(Header));
    }

    [TestCase("Save, the children", "\"Save, the children\"")]
    [TestCase("The \"best\" NGO", "\"The \"\"best\"\" NGO\"")]
    [TestCase("two\nlines", "\"two\nlines\"")]
    [TestCase("carriage\rreturn", "\"carriage\rreturn\"")]
    public void Quotes_a_field_with_a_comma_quote_or_line_break_doubling_its_quotes(string label, string written)
    {
        Assert.That(Csv(("k", label)), Is.EqualTo($"{Header}k,{written},0,1,0,1\n"));
    }

    [TestCase("=HYPERLINK(\"x\")", "\"'=HYPERLINK(\"\"x\"\")\"")]
    [TestCase("+1", "'+1")]
    [TestCase("-1", "'-1")]
    [TestCase("@SUM(A1)", "'@SUM(A1)")]
    public void Prefixes_a_field_a_spreadsheet_would_run_as_a_formula(string label, string written)
    {
        Assert.That(Csv(("k", label)), Is.EqualTo($"{Header}k,{written},0,1,0,1\n"));
    }

    [Test]
    public void Guards_the_key_as_well_as_the_label()
    {
        Assert.That(Csv(("=1+1", "x")), Is.EqualTo($"{Header}'=1+1,x,0,1,0,1\n"));
    }

    [Test]
    public void Leaves_a_sign_inside_a_field_alone()
    {
        Assert.That(Csv(("k", "Aid-for-trade")), Is.EqualTo($"{Header}k,Aid-for-trade,0,1,0,1\n"));
    }

    [Test]
    public void Names_the_file_after_the_dimension_and_the_day()
    {
        Assert.That(BreakdownCsv.FileName("province", new DateOnly(2024, 3, 5)), Is.EqualTo("breakdown-province-2024-03-05.csv"));
    }
}
