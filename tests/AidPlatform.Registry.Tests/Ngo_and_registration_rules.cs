using AidPlatform.Reference;
using AidPlatform.Registry.Api.Domain;
using AidPlatform.ServiceDefaults.Validation;

namespace AidPlatform.Registry.Tests;

/// <summary>The NGO and certificate rules alone: no database, no HTTP.</summary>
public sealed class Ngo_and_registration_rules
{
    [Test]
    public void An_ngo_is_trimmed_and_blanks_become_null()
    {
        var errors = new ValidationErrors();
        var ngo = NgoRules.Validate(new NgoRequest("  Hội Chữ thập  ", " ", "NO", null, "https://example.org", " "), errors);
        Assert.Multiple(() =>
        {
            Assert.That(errors.Any, Is.False);
            Assert.That((ngo!.Name, ngo.NameSearch, ngo.Acronym, ngo.Email), Is.EqualTo(("Hội Chữ thập", "hoi chu thap", (string?)null, (string?)null)));
        });
    }

    [TestCase("no", "countryOfOrigin must be an ISO 3166-1 alpha-2 code such as NO.")]
    [TestCase("XX", "Unknown country code.")]
    public void A_country_of_origin_must_be_a_known_alpha_2_code(string country, string message)
    {
        var errors = new ValidationErrors();
        Assert.That(NgoRules.Validate(new NgoRequest("A", null, country, null, null, null), errors), Is.Null);
        Assert.That(errors.ToDictionary()["countryOfOrigin"], Is.EqualTo(new[] { message }));
    }

    [Test]
    public void A_website_must_be_http_and_an_email_an_address()
    {
        var errors = new ValidationErrors();
        NgoRules.Validate(new NgoRequest("A", null, "NO", null, "ftp://example.org", "not-an-address"), errors);
        Assert.That(errors.ToDictionary().Keys, Is.EquivalentTo(new[] { "website", "email" }));
    }

    private static RegistrationRequest Certificate(string kind, DateOnly issued, DateOnly expires) =>
        new(kind, " NGO-1 ", issued, expires, ["10", "15", "79"], ["140", "122", "140"]);

    [Test]
    public void An_operation_certificate_runs_at_most_three_years_and_an_office_five()
    {
        var issued = new DateOnly(2024, 1, 1);
        var errors = new ValidationErrors();
        Assert.That(RegistrationRules.Validate(Certificate("operation", issued, issued.AddYears(3)), ReferenceData.Instance, errors), Is.Not.Null);
        Assert.That(RegistrationRules.Validate(Certificate("operation", issued, issued.AddYears(3).AddDays(1)), ReferenceData.Instance, errors), Is.Null);
        Assert.That(errors.ToDictionary()["expiresOn"], Is.EqualTo(new[] { "A operation certificate runs at most 3 years (Decree 58/2022/ND-CP)." }));
        Assert.That(RegistrationRules.Validate(Certificate("representative-office", issued, issued.AddYears(5)), ReferenceData.Instance, new ValidationErrors()), Is.Not.Null);
    }

    [Test]
    public void A_certificate_keeps_the_codes_given_and_their_current_units_once_each()
    {
        var issued = new DateOnly(2024, 1, 1);
        var registration = RegistrationRules.Validate(Certificate("operation", issued, issued.AddYears(1)), ReferenceData.Instance, new ValidationErrors())!;
        Assert.Multiple(() =>
        {
            Assert.That(registration.CertificateNumber, Is.EqualTo("NGO-1"));
            Assert.That(registration.ProvinceCodes, Is.EqualTo(new[] { "10", "15", "79" }));
            Assert.That(registration.CurrentProvinceCodes, Is.EqualTo(new[] { "15", "79" }), "former 10 and current 15 are one unit now");
            Assert.That(registration.SectorCategories, Is.EqualTo(new[] { "122", "140" }));
        });
    }

    [Test]
    public void Unknown_provinces_and_categories_are_listed()
    {
        var errors = new ValidationErrors();
        var issued = new DateOnly(2024, 1, 1);
        RegistrationRules.Validate(new RegistrationRequest("operation", "N", issued, issued.AddYears(1), ["98"], ["14030"]), ReferenceData.Instance, errors);
        Assert.Multiple(() =>
        {
            Assert.That(errors.ToDictionary()["provinceCodes"], Is.EqualTo(new[] { "Unknown province codes: 98." }));
            Assert.That(errors.ToDictionary()["sectorCategories"], Is.EqualTo(new[] { "Unknown DAC sector categories: 14030." }), "a purpose code is not a category");
        });
    }
}
