using AidPlatform.Reporting.Api.Domain;
using AidPlatform.ServiceDefaults.Validation;

namespace AidPlatform.Reporting.Tests;

/// <summary>The pure half of the report filter: formats and range, no database.</summary>
public sealed class Validating_a_report_filter
{
    private static readonly Guid Partner = Guid.NewGuid();

    private static ReportQuery Query(DateOnly? from = null, DateOnly? to = null, Guid? ngoId = null, string? provinceCode = null, string? sector = null) =>
        new(from, to, ngoId, null, provinceCode, sector, null);

    [Test]
    public void Accepts_an_empty_filter_as_everything()
    {
        var errors = new ValidationErrors();

        var filter = ReportFilter.Validate(Query(), null, errors);

        Assert.That(filter, Is.EqualTo(new ReportFilter(null, null, null, null, null, null, null)));
        Assert.That(errors.Any, Is.False);
    }

    [Test]
    public void Accepts_a_range_of_one_day()
    {
        var day = new DateOnly(2024, 3, 10);

        var filter = ReportFilter.Validate(Query(day, day), null, new ValidationErrors());

        Assert.That((filter?.From, filter?.To), Is.EqualTo(((DateOnly?)day, (DateOnly?)day)));
    }

    [Test]
    public void Refuses_to_before_from_under_to()
    {
        var errors = new ValidationErrors();

        var filter = ReportFilter.Validate(Query(new DateOnly(2024, 2, 1), new DateOnly(2024, 1, 1)), null, errors);

        Assert.That(filter, Is.Null);
        Assert.That(errors.ToDictionary()["to"], Is.EqualTo(new[] { "to must not be before from." }));
    }

    [TestCase("")]
    [TestCase("1234")]
    [TestCase("7a")]
    public void Refuses_a_province_code_that_is_not_one_to_three_digits(string provinceCode)
    {
        var errors = new ValidationErrors();

        Assert.That(ReportFilter.Validate(Query(provinceCode: provinceCode), null, errors), Is.Null);
        Assert.That(errors.ToDictionary().Keys, Is.EqualTo(new[] { "provinceCode" }));
    }

    [TestCase("1222")]
    [TestCase("122200")]
    [TestCase("12a20")]
    public void Refuses_a_sector_that_is_neither_a_purpose_code_nor_a_category(string sector)
    {
        var errors = new ValidationErrors();

        Assert.That(ReportFilter.Validate(Query(sector: sector), null, errors), Is.Null);
        Assert.That(errors.ToDictionary().Keys, Is.EqualTo(new[] { "sector" }));
    }

    [Test]
    public void Names_every_invalid_field_at_once_under_the_prefix()
    {
        var errors = new ValidationErrors();

        ReportFilter.Validate(Query(new DateOnly(2024, 2, 1), new DateOnly(2024, 1, 1), provinceCode: "x", sector: "1"), null, errors, "[2].");

        Assert.That(errors.ToDictionary().Keys, Is.EquivalentTo(new[] { "[2].to", "[2].provinceCode", "[2].sector" }));
    }

    [Test]
    public void Keeps_a_five_digit_sector_as_a_purpose_code_and_a_three_digit_one_as_a_category()
    {
        var code = ReportFilter.Validate(Query(sector: "12220"), null, new ValidationErrors());
        var category = ReportFilter.Validate(Query(sector: "122"), null, new ValidationErrors());

        Assert.That((code?.SectorCode, code?.CategoryCode), Is.EqualTo(("12220", (string?)null)));
        Assert.That((category?.SectorCode, category?.CategoryCode), Is.EqualTo(((string?)null, "122")));
    }

    [Test]
    public void Keeps_the_province_code_as_given_for_the_data_to_crosswalk()
    {
        var filter = ReportFilter.Validate(Query(provinceCode: "10"), null, new ValidationErrors());

        Assert.That(filter?.ProvinceCode, Is.EqualTo("10"));
    }

    [Test]
    public void Scopes_a_partner_that_names_no_ngo_to_its_own()
    {
        var filter = ReportFilter.Validate(Query(), Partner, new ValidationErrors());

        Assert.That(filter?.NgoId, Is.EqualTo(Partner));
    }

    [Test]
    public void Keeps_the_ngo_a_partner_names_for_the_data_to_check()
    {
        var other = Guid.NewGuid();

        var filter = ReportFilter.Validate(Query(ngoId: other), Partner, new ValidationErrors());

        Assert.That(filter?.NgoId, Is.EqualTo(other));
    }
}
