using AidPlatform.Reference;
using AidPlatform.ServiceDefaults.Validation;

namespace AidPlatform.Disbursement.Api.Domain;

/// <summary>The ledger's rules for one row, the same for a POST, a batch item and a CSV line.</summary>
public static class LedgerRules
{
    /// <summary>
    /// The row to write, converted to USD; or null, with each fault added under <paramref name="prefix"/>
    /// (such as <c>[3].</c> for a batch item). The shape is checked first (missing fields, bad formats), and
    /// only a well-formed request against the data (amount, currency, date, province, project, rate), then against
    /// the registry (<see cref="RegistryChecks"/>). A project the registry checks refuse on the reference's copy is
    /// added to <paramref name="doubted"/>, when given: its caller may ask the registry and judge the row again.
    /// </summary>
    public static LedgerRow? Validate(DisbursementRequest request, LedgerReference reference, ValidationErrors errors, string prefix = "",
        ISet<Guid>? doubted = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(errors);
        var r = request;
        var faults = 0;
        bool Require(bool condition, string field, string message)
        {
            faults += errors.Require(condition, prefix + field, message) ? 0 : 1;
            return condition;
        }

        // A message naming the values is formatted only when the rule fails: an import checks a million rows.
        bool RequireThat(bool condition, string field, Func<string> message) => condition || Require(false, field, message());

        Require(r.ProjectId is not null, "projectId", "projectId is required.");
        Require(r.Amount is not null, "amount", "amount is required.");
        Require(Currencies.IsCodeFormat(r.Currency), "currency", "currency must be an ISO 4217 code such as USD.");
        Require(r.ValueDate is not null, "valueDate", "valueDate is required (YYYY-MM-DD).");
        Require(r.ProvinceCode is null || (r.ProvinceCode.Length is > 0 and <= 3 && r.ProvinceCode.All(char.IsAsciiDigit)), "provinceCode", "provinceCode must be a province code of digits.");
        Require(!string.IsNullOrWhiteSpace(r.Reference) && r.Reference.Length <= 100, "reference", "reference is required, 100 characters or fewer.");
        Require(r.Description is not { Length: > 1000 }, "description", "description must be 1000 characters or fewer.");
        if (faults > 0)
        {
            return null;
        }

        var amount = r.Amount!.Value;
        var currency = r.Currency!;
        var valueDate = r.ValueDate!.Value;
        var typed = RequireThat(r.Type is null || LedgerTypes.All.Contains(r.Type), "type", () => $"type must be one of {string.Join(", ", LedgerTypes.All)}.");
        var type = r.Type ?? LedgerTypes.Default;
        Require(amount > 0, "amount", "amount must be more than 0; a correction is a reversal.");
        Require(amount <= 1_000_000_000_000m, "amount", "amount must be at most 10^12.");
        var carried = RequireThat(reference.MinorUnits.TryGetValue(currency, out var decimals), "currency", () => $"{currency} is not a currency the ledger carries.");
        if (carried)
        {
            RequireThat(decimal.Round(amount, decimals) == amount, "amount", () => $"{currency} amounts have at most {decimals} decimals.");
        }

        Require(valueDate <= reference.Today, "valueDate", "valueDate must not be in the future.");
        var plausible = RequireThat(PlausibleDates.Contains(valueDate), "valueDate", () => "valueDate " + PlausibleDates.Message);
        string? current = null;
        RequireThat(r.ProvinceCode is null || reference.CurrentProvince.TryGetValue(r.ProvinceCode, out current), "provinceCode",
            () => $"{r.ProvinceCode} is neither a current nor a former province code.");
        // A partner's row naming another NGO's project reads as an unknown project: its existence is not confirmed.
        var project = reference.Project(r.ProjectId!.Value) is { } found && (reference.PartnerNgo is null || found.NgoId == reference.PartnerNgo) ? found : null;
        if (RequireThat(project is not null, "projectId", () => $"Project {r.ProjectId} is not registered."))
        {
            RequireThat(project!.Status != "cancelled", "projectId", () => $"Project {r.ProjectId} is cancelled.");
            if (typed && plausible && !Registered(project, type, valueDate, r.ProvinceCode, current, reference, RequireThat))
            {
                doubted?.Add(project.Id);
            }
        }

        var rate = plausible && carried ? UsdConversion.RateFor(currency, valueDate, reference.MonthlyRate) : null;
        if (plausible && carried)
        {
            RequireThat(rate is not null, "currency", () => RateCoverage.Missing(currency, valueDate));
        }

        if (faults > 0)
        {
            return null;
        }

        var (unitsPerUsd, month) = rate!.Value;
        return new LedgerRow(Guid.CreateVersion7(), project!.NgoId, project.Id, r.Type ?? LedgerTypes.Default, amount, currency,
            UsdConversion.ToUsd(amount, unitsPerUsd), unitsPerUsd, month, valueDate,
            r.ProvinceCode, current, r.Reference!.Trim(), string.IsNullOrWhiteSpace(r.Description) ? null : r.Description.Trim());
    }

    /// <summary>
    /// The checks against the registry's project and certificates; false when any failed. A province that is no
    /// province at all was named already: only the checks that do not need it run then.
    /// </summary>
    private static bool Registered(ProjectInfo project, string type, DateOnly valueDate, string? given, string? current, LedgerReference reference,
        Func<bool, string, Func<string>, bool> requireThat)
    {
        var passed = requireThat(RegistryChecks.WithinPeriod(project, type, valueDate), "valueDate", () => RegistryChecks.PeriodMessage(project, type, valueDate));
        passed &= requireThat(RegistryChecks.StateAdmits(project, type, valueDate), "projectId", () => RegistryChecks.StateMessage(project, type));
        if (given is not null && current is null)
        {
            return passed;
        }

        if (current is not null && !requireThat(RegistryChecks.InProject(project, current), "provinceCode", () => RegistryChecks.ProvinceMessage(project, given!, current)))
        {
            return false;
        }

        var certificates = reference.Certificates(project.NgoId);
        return requireThat(RegistryChecks.Certified(certificates, project, current, valueDate), current is null ? "valueDate" : "provinceCode",
            () => RegistryChecks.CertificateMessage(certificates, project, current, valueDate)) && passed;
    }
}
