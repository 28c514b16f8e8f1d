using AidPlatform.Reference;
using AidPlatform.Registry.Api.Domain;
using AidPlatform.ServiceDefaults.Errors;
using AidPlatform.ServiceDefaults.Validation;

namespace AidPlatform.Registry.Tests;

/// <summary>The project rules alone: no database, no HTTP.</summary>
public sealed class Project_rules
{
    private static readonly ReferenceData Reference = ReferenceData.Instance;

    private static ProjectRequest Valid(string currency = "USD", decimal amount = 1000m) => new(
        Guid.NewGuid(), "  Clean water  ", null, null, "implementation", new DateOnly(2024, 1, 1), new DateOnly(2026, 12, 31), new MoneyDto(amount, currency),
        [new SectorShare("14030", 60m), new SectorShare("12220", 40m)], [new LocationShare("10", 50m), new LocationShare("79", 50m)], null);

    [Test]
    public void A_valid_project_resolves_categories_and_current_provinces()
    {
        var errors = new ValidationErrors();
        var project = ProjectRules.Validate(Valid(), Reference, errors);
        Assert.Multiple(() =>
        {
            Assert.That(errors.Any, Is.False);
            Assert.That(project!.Title, Is.EqualTo("Clean water"));
            Assert.That(project.TitleSearch, Is.EqualTo("clean water"));
            Assert.That(project.Sectors.Select(s => s.CategoryCode), Is.EqualTo(new[] { "140", "122" }));
            // Former Lao Cai (10) merged into current 15; 79 is current.
            Assert.That(project.Locations.Select(l => l.CurrentProvinceCode), Is.EqualTo(new[] { "15", "79" }));
        });
    }

    [Test]
    public void Missing_fields_are_named_and_the_reference_data_is_not_consulted()
    {
        var errors = new ValidationErrors();
        var project = ProjectRules.Validate(Valid() with { NgoId = null, Title = " ", Sectors = [new SectorShare("99999", 100m)] }, Reference, errors);
        Assert.Multiple(() =>
        {
            Assert.That(project, Is.Null);
            Assert.That(errors.ToDictionary().Keys, Is.EquivalentTo(new[] { "ngoId", "title" }), "an unknown sector is only reported once the form is right");
        });
    }

    [Test]
    public void Percentages_must_sum_to_100_and_codes_must_exist()
    {
        var errors = new ValidationErrors();
        ProjectRules.Validate(Valid() with { Sectors = [new SectorShare("99999", 60m)], Locations = [new LocationShare("98", 100m)] }, Reference, errors);
        var found = errors.ToDictionary();
        Assert.Multiple(() =>
        {
            Assert.That(found["sectors[0].code"], Is.EqualTo(new[] { "99999 is not an active DAC sector code." }));
            Assert.That(found["sectors"], Is.EqualTo(new[] { "Sector percentages sum to 60, not 100." }));
            Assert.That(found["locations[0].provinceCode"], Is.EqualTo(new[] { "98 is neither a current nor a former province code." }));
        });
    }

    [Test]
    public void A_budget_carries_no_more_decimals_than_its_currency_has()
    {
        var errors = new ValidationErrors();
        ProjectRules.Validate(Valid("VND", 1000.5m), Reference, errors);
        Assert.That(errors.ToDictionary()["budget.amount"], Is.EqualTo(new[] { "VND amounts have at most 0 decimals." }));
    }

    [Test]
    public void Batch_items_carry_their_prefix()
    {
        var errors = new ValidationErrors();
        ProjectRules.Validate(Valid() with { Status = null }, Reference, errors, "[3].");
        Assert.That(errors.ToDictionary().Keys, Is.EqualTo(new[] { "[3].status" }));
    }

    [Test]
    public void Coverage_names_the_first_rule_a_project_breaks()
    {
        var errors = new ValidationErrors();
        var project = ProjectRules.Validate(Valid(), Reference, errors)!;
        var noNgo = Assert.Throws<UnprocessableException>(() => ProjectRules.CheckCoverage(project, new Coverage(false, new HashSet<string>())));
        var noCertificate = Assert.Throws<UnprocessableException>(() => ProjectRules.CheckCoverage(project, new Coverage(true, new HashSet<string>())));
        var partly = Assert.Throws<UnprocessableException>(() => ProjectRules.CheckCoverage(project, new Coverage(true, new HashSet<string> { "79" })));
        Assert.Multiple(() =>
        {
            Assert.That(noNgo!.Errors!.Keys, Is.EqualTo(new[] { "ngoId" }));
            Assert.That(noCertificate!.Errors!.Keys, Is.EqualTo(new[] { "startDate" }));
            Assert.That(partly!.Errors!["locations"], Is.EqualTo(new[] { "Not covered by a registration: 10." }), "the code as given, not its current unit");
            Assert.DoesNotThrow(() => ProjectRules.CheckCoverage(project, new Coverage(true, new HashSet<string> { "15", "79" })));
        });
    }

    [Test]
    public void A_list_filter_resolves_a_former_province_and_splits_the_sector_by_kind()
    {
        var errors = new ValidationErrors();
        var filter = ProjectRules.ValidateQuery(new ProjectQuery(null, "10", "122", null, "Hà Nội"), null, Reference, errors);
        Assert.Multiple(() =>
        {
            Assert.That(filter!.CurrentProvince, Is.EqualTo("15"));
            Assert.That((filter.SectorCode, filter.CategoryCode), Is.EqualTo(((string?)null, "122")));
            Assert.That(filter.TitlePattern, Is.EqualTo("%ha noi%"));
        });
    }

    [Test]
    public void A_partner_naming_another_ngo_gets_the_404_of_one_that_does_not_exist()
    {
        var errors = new ValidationErrors();
        Assert.Throws<NotFoundException>(() => ProjectRules.ValidateQuery(new ProjectQuery(Guid.NewGuid(), null, null, null, null), Guid.NewGuid(), Reference, errors));
    }
}
