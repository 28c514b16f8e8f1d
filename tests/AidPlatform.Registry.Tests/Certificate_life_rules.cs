using AidPlatform.Reference;
using AidPlatform.Registry.Api.Domain;
using AidPlatform.ServiceDefaults.Errors;
using AidPlatform.ServiceDefaults.Validation;

namespace AidPlatform.Registry.Tests;

/// <summary>A certificate's actions and its expiry notices as pure rules: no database, no HTTP.</summary>
public sealed class Certificate_life_rules
{
    private static readonly DateOnly Today = new(2026, 6, 15);

    private static CertificateState Valid(string kind = "representative-office") =>
        new(kind, new DateOnly(2025, 1, 1), new DateOnly(2027, 1, 1), CertificateLife.Valid, [], new CertificateTerms(new DateOnly(2027, 1, 1), ["01"], ["01"], ["122"]));

    private static CertificateChange Change(string action, DateOnly effectiveOn, DateOnly? expiresOn = null) => new(action, "why", effectiveOn, expiresOn);

    [TestCase(100, null)]
    [TestCase(91, null)]
    [TestCase(90, 90)]
    [TestCase(31, 90)]
    [TestCase(30, 30)]
    [TestCase(8, 30)]
    [TestCase(7, 7)]
    [TestCase(0, 7)]
    [TestCase(-1, null)]
    public void The_tightest_mark_reached_is_the_one_published(int daysLeft, int? mark) =>
        Assert.That(ExpiryMarks.Tightest(Today.AddDays(daysLeft), Today), Is.EqualTo(mark));

    [Test]
    public void A_certificate_first_seen_20_days_before_expiry_gets_the_30_day_notice_and_passes_over_the_90()
    {
        Assert.That(ExpiryMarks.Due(Today.AddDays(20), Today), Is.EqualTo(new[] { (90, false), (30, true) }));
        Assert.That(ExpiryMarks.Due(Today.AddDays(3), Today), Is.EqualTo(new[] { (90, false), (30, false), (7, true) }));
        Assert.That(ExpiryMarks.Due(Today.AddDays(200), Today), Is.Empty);
    }

    [TestCase("reinstate", "reinstate is allowed from suspended; the certificate is valid.")]
    public void An_action_from_the_wrong_status_is_a_conflict_naming_the_rule(string action, string message)
    {
        var refused = Assert.Throws<ConflictException>(() => CertificateLife.Apply(Valid(), Change(action, Today)));
        Assert.That(refused!.Message, Is.EqualTo(message));
    }

    [Test]
    public void Suspension_then_reinstatement_then_revocation_keep_their_spans_in_order()
    {
        var suspended = CertificateLife.Apply(Valid(), Change("suspend", Today.AddDays(-10)));
        var reinstated = CertificateLife.Apply(suspended, Change("reinstate", Today.AddDays(-4)));
        var resuspended = CertificateLife.Apply(reinstated, Change("suspend", Today.AddDays(-2)));
        var revoked = CertificateLife.Apply(resuspended, Change("revoke", Today));

        Assert.That(suspended.Status, Is.EqualTo("suspended"));
        Assert.That(reinstated.Interruptions, Is.EqualTo(new[] { new InterruptionDto("suspension", Today.AddDays(-10), Today.AddDays(-4)) }));
        Assert.That(revoked.Status, Is.EqualTo("revoked"));
        Assert.That(revoked.Interruptions, Is.EqualTo(new[]
        {
            new InterruptionDto("suspension", Today.AddDays(-10), Today.AddDays(-4)),
            new InterruptionDto("suspension", Today.AddDays(-2), Today),
            new InterruptionDto("revocation", Today, null),
        }));
        Assert.Throws<ConflictException>(() => CertificateLife.Apply(revoked, Change("reinstate", Today)));
    }

    [Test]
    public void A_change_of_validity_never_takes_effect_before_the_last_one()
    {
        var reinstated = CertificateLife.Apply(CertificateLife.Apply(Valid(), Change("suspend", Today.AddDays(-10))), Change("reinstate", Today.AddDays(-4)));

        var refused = Assert.Throws<UnprocessableException>(() => CertificateLife.Apply(reinstated, Change("suspend", Today.AddDays(-5))));

        Assert.That(refused!.Errors!.Keys, Is.EqualTo(new[] { "effectiveOn" }));
    }

    [TestCase("operation", 3)]
    [TestCase("representative-office", 5)]
    public void An_extension_runs_at_most_the_kinds_term_from_the_day_it_takes_effect(string kind, int years)
    {
        var effective = new DateOnly(2026, 12, 1);
        var state = Valid(kind);

        var extended = CertificateLife.Apply(state, Change("extend", effective, effective.AddYears(years)));
        var tooLong = Assert.Throws<UnprocessableException>(() => CertificateLife.Apply(state, Change("extend", effective, effective.AddYears(years).AddDays(1))));
        var shorter = Assert.Throws<UnprocessableException>(() => CertificateLife.Apply(state, Change("extend", effective, state.ExpiresOn)));

        Assert.That((extended.ExpiresOn, extended.Terms.ExpiresOn), Is.EqualTo((effective.AddYears(years), effective.AddYears(years))));
        Assert.That(tooLong!.Errors!.Keys, Is.EqualTo(new[] { "expiresOn" }));
        Assert.That(shorter!.Errors!.Keys, Is.EqualTo(new[] { "expiresOn" }));
    }

    [Test]
    public void An_action_takes_effect_within_the_certificates_dates_and_not_after_today()
    {
        var errors = new ValidationErrors();
        Assert.That(CertificateLife.Validate("suspend", new CertificateActionRequest("why", Today.AddDays(1)), Today, errors), Is.Null);
        Assert.That(errors.ToDictionary().Keys, Is.EqualTo(new[] { "effectiveOn" }));

        Assert.Throws<UnprocessableException>(() => CertificateLife.Apply(Valid(), Change("suspend", new DateOnly(2024, 12, 31))));
        Assert.Throws<UnprocessableException>(() => CertificateLife.Apply(Valid() with { ExpiresOn = new DateOnly(2026, 1, 1) }, Change("suspend", new DateOnly(2026, 1, 2))));
    }

    [Test]
    public void Amend_needs_provinces_or_categories_and_resolves_former_provinces()
    {
        var none = new ValidationErrors();
        var some = new ValidationErrors();

        Assert.That(CertificateLife.Validate(new AmendRegistrationRequest("why", Today, null, null), ReferenceData.Instance, Today, none), Is.Null);
        var change = CertificateLife.Validate(new AmendRegistrationRequest(" why ", Today, ["10", "01"], null), ReferenceData.Instance, Today, some);
        var amended = CertificateLife.Apply(Valid(), change!);

        Assert.That(none.ToDictionary().Keys, Is.EquivalentTo(new[] { "provinceCodes", "sectorCategories" }));
        Assert.That((change!.Reason, amended.Terms.CurrentProvinceCodes, amended.Terms.SectorCategories), Is.EqualTo(("why", new[] { "01", "15" }, new[] { "122" })));
    }
}
