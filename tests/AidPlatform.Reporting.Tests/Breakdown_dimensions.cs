using System.ComponentModel.DataAnnotations;
using System.Reflection;
using AidPlatform.Reporting.Api.Domain;
using AidPlatform.ServiceDefaults.Validation;

namespace AidPlatform.Reporting.Tests;

/// <summary>The dimensions and transaction types are listed once; the attributes the API reads carry those lists.</summary>
public sealed class Breakdown_dimensions
{
    [Test]
    public void Are_the_nine_the_api_documents_in_order()
    {
        Assert.That(Dimensions.All, Is.EqualTo(new[] { "province", "sector", "sectorCategory", "ngo", "country", "year", "month", "type", "project" }));
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
        Assert.That(errors.ToDictionary()["by"], Is.EqualTo(new[] { "by is required: one of province, sector, sectorCategory, ngo, country, year, month, type, project." }));
    }

    [Test]
    public void Refuse_an_unknown_dimension()
    {
        var errors = new ValidationErrors();

        Assert.That(Dimensions.Validate("planet", errors), Is.Null);
        Assert.That(errors.ToDictionary().Keys, Is.EqualTo(new[] { "by" }));
    }
}
