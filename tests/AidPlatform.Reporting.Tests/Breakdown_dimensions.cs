using System.ComponentModel.DataAnnotations;
using System.Reflection;
using AidPlatform.Reporting.Api.Domain;
using AidPlatform.ServiceDefaults.Validation;

namespace AidPlatform.Reporting.Tests;

/// <summary>The dimensions and transaction types are listed once; the attributes the API reads carry those lists.</summary>
public sealed class Breakdown_dimensions
{
    [Test]
    public void Are_the_ten_the_api_documents_in_order()
    {
        Assert.That(Dimensions.All, Is.EqualTo(new[] { "province", "sector", "sectorCategory", "ngo", "country", "year", "month", "type", "project", "policyMarker" }));
    }

    [Test]
    public void Are_additive_except_by_policy_marker()
    {
        Assert.That(Dimensions.All.Where(by => !Dimensions.IsAdditive(by)), Is.EqualTo(new[] { "policyMarker" }));
        Assert.That(new Breakdown("policyMarker", [], new Amounts(0m, 0m, 0m, 0)).Additive, Is.False);
        Assert.That(new Breakdown("province", [], new Amounts(0m, 0m, 0m, 0)).Additive, Is.True);
    }

    [TestCase(null, new[] { 1, 2, 3, 4 })]
    [TestCase("any", new[] { 1, 2, 3, 4 })]
    [TestCase("significant", new[] { 1 })]
    [TestCase("principal", new[] { 2, 3, 4 })]
    public void Select_policy_marker_significances_by_level(string? level, int[] significances)
    {
        Assert.That(PolicyMarkers.Significances(level), Is.EqualTo(significances));
    }

    [Test]
    public void Label_the_twelve_iati_policy_markers()
    {
        var markers = AidPlatform.Reference.ReferenceData.Instance.Iati.PolicyMarkers;
        Assert.That(markers.Keys, Is.EquivalentTo(Enumerable.Range(1, 12).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        Assert.That(markers["1"].Name, Is.EqualTo("Gender Equality"));
        Assert.That(new SignificanceLevelAttribute().Values, Is.EqualTo(new[] { "any", "significant", "principal" }));
    }

    [Test]
    public void Reach_the_strict_query_string_and_the_openapi_filters_as_allowed_values()
    {
        var onBreakdown = typeof(Breakdown).GetProperty(nameof(Breakdown.By))!.GetCustomAttribute<AllowedValuesAttribute>();

        Assert.That(onBreakdown?.Values, Is.EqualTo(Dimensions.All));
        Assert.That(new TransactionTypeAttribute().Values, Is.EqualTo(new[] { "commitment", "disbursement", "expenditure" }));
    }

    [Test]
    public void Accept_a_known_dimension()
    {
        var errors = new ValidationErrors();

        Assert.That(Dimensions.Validate("sectorCategory", errors), Is.EqualTo("sectorCategory"));
        Assert.That(errors.Any, Is.False);
    }

    [Test]
    public void Require_by_naming_every_dimension()
    {
        var errors = new ValidationErrors();

        Assert.That(Dimensions.Validate(null, errors), Is.Null);
        Assert.That(errors.ToDictionary()["by"], Is.EqualTo(new[] { "by is required: one of province, sector, sectorCategory, ngo, country, year, month, type, project, policyMarker." }));
    }

    [Test]
    public void Refuse_an_unknown_dimension()
    {
        var errors = new ValidationErrors();

        Assert.That(Dimensions.Validate("planet", errors), Is.Null);
        Assert.That(errors.ToDictionary().Keys, Is.EqualTo(new[] { "by" }));
    }
}
