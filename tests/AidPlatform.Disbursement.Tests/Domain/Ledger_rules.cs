using AidPlatform.Disbursement.Api.Domain;
using AidPlatform.ServiceDefaults.Validation;

namespace AidPlatform.Disbursement.Tests.Domain;

public sealed class Ledger_rules
{
    [Test]
    public void Convert_a_valid_row_at_its_months_rate_rounded_to_the_cent_for_the_projects_ngo()
    {
        var errors = new ValidationErrors();

        var row = LedgerRules.Validate(Given.Request() with { ProvinceCode = "02", Reference = "  R-1 ", Description = "  " }, Given.Reference(), errors);

        Assert.That(errors.Any, Is.False);
        Assert.Multiple(() =>
        {
            Assert.That(row!.NgoId, Is.EqualTo(Given.Ngo));
            Assert.That(row.ProjectId, Is.EqualTo(Given.Project.Id));
            Assert.That(row.Type, Is.EqualTo("disbursement"));
            Assert.That(row.FxRate, Is.EqualTo(0.9123m));
            Assert.That(row.FxRateMonth, Is.EqualTo(new DateOnly(2024, 3, 1)));
            // 1000 / 0.9123 = 1096.1306...
            Assert.That(row.AmountUsd, Is.EqualTo(1096.13m));
            Assert.That(row.ProvinceCode, Is.EqualTo("02"));
            Assert.That(row.CurrentProvinceCode, Is.EqualTo("08"), "a former code maps to the unit it merged into");
            Assert.That(row.Reference, Is.EqualTo("R-1"));
            Assert.That(row.Description, Is.Null);
            Assert.That(row.ReversesId, Is.Null);
        });
    }

    [Test]
    public void Fall_back_to_the_latest_of_the_three_months_before_a_month_without_a_rate()
    {
        var inApril = LedgerRules.Validate(Given.Request() with { ValueDate = new(2024, 4, 30) }, Given.Reference(), new ValidationErrors());
        var inMay = LedgerRules.Validate(Given.Request() with { ValueDate = new(2024, 5, 1) }, Given.Reference(), new ValidationErrors());
        var threeBack = LedgerRules.Validate(Given.Request() with { Currency = "VND", Amount = 2_000_000m, ValueDate = new(2025, 4, 10) }, Given.Reference(), new ValidationErrors());

        Assert.Multiple(() =>
        {
            Assert.That(inApril!.FxRateMonth, Is.EqualTo(new DateOnly(2024, 3, 1)));
            Assert.That(inMay!.FxRateMonth, Is.EqualTo(new DateOnly(2024, 3, 1)));
            Assert.That(threeBack!.FxRateMonth, Is.EqualTo(new DateOnly(2025, 1, 1)));
            Assert.That(threeBack.AmountUsd, Is.EqualTo(2000m));
        });
    }

    [Test]
    public void Refuse_a_row_with_no_rate_in_its_month_or_the_three_before()
    {
        var errors = new ValidationErrors();

        var row = LedgerRules.Validate(Given.Request() with { Currency = "VND", Amount = 2_000_000m, ValueDate = new(2025, 5, 1) }, Given.Reference(), errors);

        Assert.That(row, Is.Null);
        Assert.That(errors.Faults(), Is.EqualTo(new Dictionary<string, string[]> { ["currency"] = ["No VND rate for 2025-05 (nor 2025-02..2025-04); upload one at /api/v1/exchange-rates/imports."] }));
    }

    [Test]
    public void Round_half_a_cent_away_from_zero()
    {
        // 25 VND at 1000 per USD is 0.025 USD: 0.03, where banker's rounding would give 0.02.
        var row = LedgerRules.Validate(Given.Request() with { Currency = "VND", Amount = 25m, ValueDate = new(2025, 1, 20) }, Given.Reference(), new ValidationErrors());

        Assert.That(row!.AmountUsd, Is.EqualTo(0.03m));
    }

    [Test]
    public void Convert_usd_at_one_without_a_published_rate()
    {
        var row = LedgerRules.Validate(Given.Request() with { Currency = "USD", Amount = 12.34m, ValueDate = new(2025, 6, 1) }, Given.Reference(), new ValidationErrors());

        Assert.That((row!.FxRate, row.AmountUsd, row.FxRateMonth), Is.EqualTo((1m, 12.34m, new DateOnly(2025, 6, 1))));
    }

    [Test]
    public void Refuse_a_future_value_date() =>
        Refuses(Given.Request() with { Currency = "USD", ValueDate = Given.Today.AddDays(1) }, "valueDate", "valueDate must not be in the future.");

    [Test]
    public void Refuse_an_implausible_value_date() =>
        Refuses(Given.Request() with { Currency = "USD", ValueDate = new(1899, 12, 31) }, "valueDate", "valueDate must be between 1900-01-01 and 2199-12-31.");

    [Test]
    public void Refuse_an_amount_of_zero() =>
        Refuses(Given.Request() with { Amount = 0m }, "amount", "amount must be more than 0; a correction is a reversal.");

    [Test]
    public void Refuse_an_amount_over_ten_to_the_twelve() =>
        Refuses(Given.Request() with { Currency = "USD", Amount = 1_000_000_000_000.01m }, "amount", "amount must be at most 10^12.");

    [Test]
    public void Refuse_more_decimals_than_the_currency_has() =>
        Refuses(Given.Request() with { Currency = "VND", Amount = 1000.5m, ValueDate = new(2025, 1, 20) }, "amount", "VND amounts have at most 0 decimals.");

    [Test]
    public void Refuse_a_currency_the_ledger_does_not_carry() =>
        Refuses(Given.Request() with { Currency = "XAU" }, "currency", "XAU is not a currency the ledger carries.");

    [Test]
    public void Refuse_an_unknown_type() =>
        Refuses(Given.Request() with { Type = "grant" }, "type", "type must be one of commitment, disbursement, expenditure.");

    [Test]
    public void Refuse_a_province_code_that_is_neither_current_nor_former() =>
        Refuses(Given.Request() with { ProvinceCode = "99" }, "provinceCode", "99 is neither a current nor a former province code.");

    [Test]
    public void Refuse_a_project_the_registry_does_not_know()
    {
        var unknown = Guid.NewGuid();
        Refuses(Given.Request() with { ProjectId = unknown }, "projectId", $"Project {unknown} is not registered.");
    }

    [Test]
    public void Refuse_a_cancelled_project() =>
        Refuses(Given.Request() with { ProjectId = Given.Cancelled.Id }, "projectId", $"Project {Given.Cancelled.Id} is cancelled.");

    [Test]
    public void Read_another_ngos_project_as_unknown_for_a_partner()
    {
        var errors = new ValidationErrors();

        var row = LedgerRules.Validate(Given.Request(), Given.Reference(partnerNgo: Guid.NewGuid()), errors);

        Assert.That(row, Is.Null);
        Assert.That(errors.Faults()["projectId"], Is.EqualTo(new[] { $"Project {Given.Project.Id} is not registered." }));
        Assert.That(LedgerRules.Validate(Given.Request(), Given.Reference(partnerNgo: Given.Ngo), new ValidationErrors()), Is.Not.Null, "its own project");
    }

    [Test]
    public void Refuse_a_malformed_row_by_its_shape_alone()
    {
        var errors = new ValidationErrors();

        // The data is wrong too (a future date, an unknown project), but only the shape is named.
        var row = LedgerRules.Validate(new DisbursementRequest(null, "grant", null, "eur", null, "1a", " ", new string('x', 1001)), Given.Reference(), errors);

        Assert.That(row, Is.Null);
        Assert.That(errors.Faults(), Is.EqualTo(new Dictionary<string, string[]>
        {
            ["projectId"] = ["projectId is required."],
            ["amount"] = ["amount is required."],
            ["currency"] = ["currency must be an ISO 4217 code such as USD."],
            ["valueDate"] = ["valueDate is required (YYYY-MM-DD)."],
            ["provinceCode"] = ["provinceCode must be a province code of digits."],
            ["reference"] = ["reference is required, 100 characters or fewer."],
            ["description"] = ["description must be 1000 characters or fewer."],
        }));
    }

    [Test]
    public void Name_every_invalid_field_under_the_prefix()
    {
        var errors = new ValidationErrors();

        LedgerRules.Validate(Given.Request() with { Currency = "USD", Amount = -5m, ProvinceCode = "99", ValueDate = Given.Today.AddDays(3) }, Given.Reference(), errors, "[3].");

        Assert.That(errors.Faults().Keys, Is.EquivalentTo(new[] { "[3].amount", "[3].valueDate", "[3].provinceCode" }));
    }

    private static void Refuses(DisbursementRequest request, string field, string message)
    {
        var errors = new ValidationErrors();

        var row = LedgerRules.Validate(request, Given.Reference(), errors);

        Assert.That(row, Is.Null);
        Assert.That(errors.Faults(), Is.EqualTo(new Dictionary<string, string[]> { [field] = [message] }));
    }
}
