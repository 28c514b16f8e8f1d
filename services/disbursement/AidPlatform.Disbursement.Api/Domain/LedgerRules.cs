using AidPlatform.ServiceDefaults.Validation;
using System.ComponentModel.DataAnnotations;
using AidPlatform.ServiceDefaults.Http;

namespace AidPlatform.Disbursement.Api.Domain;

/// <summary>A request to record one ledger row, as a partner sends it in a POST, a batch item or a CSV line.</summary>
public sealed record DisbursementRequest(
    [property: Required] Guid? ProjectId,
    [property: AllowedValues("commitment", "disbursement", "expenditure")] string? Type,
    [property: Required, Range(typeof(decimal), "0.01", "1000000000000")] decimal? Amount,
    [property: Required, RegularExpression("^[A-Z]{3}$")] string? Currency,
    [property: Required] DateOnly? ValueDate,
    [property: RegularExpression("^[0-9]{1,3}$")] string? ProvinceCode,
    [property: Required, StringLength(100, MinimumLength = 1)] string? Reference,
    [property: StringLength(1000)] string? Description);

/// <summary>A ledger row ready to be written; the server owns its id, NGO, USD amount and rate.</summary>
public sealed record LedgerRow(Guid Id, Guid NgoId, Guid ProjectId, string Type, decimal Amount, string Currency, decimal AmountUsd,
    decimal FxRate, DateOnly FxRateMonth, DateOnly ValueDate, string? ProvinceCode, string? CurrentProvinceCode, string Reference,
    string? Description, Guid? ReversesId = null);

/// <summary>The ledger's rules for one row.</summary>
public static class LedgerRules
{
    public static readonly IReadOnlyList<string> Types = ["commitment", "disbursement", "expenditure"];

    /// <summary>
    /// Checks the shape first (<paramref name="malformed"/>: missing fields, bad formats) and then the data
    /// (<paramref name="invalid"/>: amount, currency, date, province, project, rate). Field names carry
    /// <paramref name="prefix"/>, such as <c>[3].</c> for a batch item. Projects must be resolved beforehand.
    /// </summary>
    public static LedgerRow? Check(DisbursementRequest r, LedgerContext context, ValidationErrors malformed, ValidationErrors invalid, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(malformed);
        ArgumentNullException.ThrowIfNull(invalid);
        var before = (malformed.Count, invalid.Count);
        malformed.Require(r.ProjectId is not null, prefix + "projectId", "projectId is required.");
        malformed.Require(r.Amount is not null, prefix + "amount", "amount is required.");
        malformed.Require(r.Currency is { Length: 3 } c && c.All(char.IsAsciiLetterUpper), prefix + "currency", "currency must be an ISO 4217 code such as USD.");
        malformed.Require(r.ValueDate is not null, prefix + "valueDate", "valueDate is required (YYYY-MM-DD).");
        malformed.Require(r.ProvinceCode is null || (r.ProvinceCode.Length is > 0 and <= 3 && r.ProvinceCode.All(char.IsAsciiDigit)), prefix + "provinceCode", "provinceCode must be a province code of digits.");
        malformed.Require(!string.IsNullOrWhiteSpace(r.Reference) && r.Reference.Length <= 100, prefix + "reference", "reference is required, 100 characters or fewer.");
        malformed.Require(r.Description is not { Length: > 1000 }, prefix + "description", "description must be 1000 characters or fewer.");
        if (malformed.Count > before.Item1)
        {
            return null;
        }

        var amount = r.Amount!.Value;
        var currency = r.Currency!;
        var valueDate = r.ValueDate!.Value;
        invalid.Require(r.Type is null || Types.Contains(r.Type), prefix + "type", $"type must be one of {string.Join(", ", Types)}.");
        invalid.Require(amount > 0, prefix + "amount", "amount must be more than 0; a correction is a reversal.");
        invalid.Require(amount <= 1_000_000_000_000m, prefix + "amount", "amount must be at most 10^12.");
        if (invalid.Require(context.MinorUnits.TryGetValue(currency, out var decimals), prefix + "currency", $"{currency} is not a currency the ledger carries."))
        {
            invalid.Require(decimal.Round(amount, decimals) == amount, prefix + "amount", $"{currency} amounts have at most {decimals} decimals.");
        }

        invalid.Require(valueDate <= context.Today, prefix + "valueDate", "valueDate must not be in the future.");
        var plausible = invalid.Require(PlausibleDates.Contains(valueDate), prefix + "valueDate", "valueDate " + PlausibleDates.Message);
        string? current = null;
        invalid.Require(r.ProvinceCode is null || context.CurrentProvince.TryGetValue(r.ProvinceCode, out current), prefix + "provinceCode",
            $"{r.ProvinceCode} is neither a current nor a former province code.");
        // A partner's row naming another NGO's project reads as an unknown project: its existence is not confirmed.
        var project = context.Project(r.ProjectId!.Value) is { } found && (context.PartnerNgo is null || found.NgoId == context.PartnerNgo) ? found : null;
        if (invalid.Require(project is not null, prefix + "projectId", $"Project {r.ProjectId} is not registered."))
        {
            invalid.Require(project!.Status != "cancelled", prefix + "projectId", $"Project {r.ProjectId} is cancelled.");
        }

        var rate = plausible && context.MinorUnits.ContainsKey(currency) ? context.Rate(currency, valueDate) : null;
        if (plausible && context.MinorUnits.ContainsKey(currency))
        {
            invalid.Require(rate is not null, prefix + "currency", $"No {currency} rate for {valueDate:yyyy-MM} or the three months before.");
        }

        if (invalid.Count > before.Item2)
        {
            return null;
        }

        var (unitsPerUsd, month) = rate!.Value;
        return new LedgerRow(Guid.CreateVersion7(), project!.NgoId, project.Id, r.Type ?? "disbursement", amount, currency,
            Math.Round(amount / unitsPerUsd, 2, MidpointRounding.AwayFromZero), unitsPerUsd, month, valueDate,
            r.ProvinceCode, current, r.Reference!.Trim(), string.IsNullOrWhiteSpace(r.Description) ? null : r.Description.Trim());
    }
}
