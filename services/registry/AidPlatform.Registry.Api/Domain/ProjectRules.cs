using AidPlatform.Reference;
using AidPlatform.ServiceDefaults.Errors;
using AidPlatform.ServiceDefaults.Validation;

namespace AidPlatform.Registry.Api.Domain;

/// <summary>What makes a project valid, against the reference data and against its NGO's certificates.</summary>
public static class ProjectRules
{
    public static readonly IReadOnlyList<string> Statuses = ["pipeline", "implementation", "finalisation", "closed", "cancelled", "suspended"];

    /// <summary>Checks the form of every field first; only a well-formed project is checked against the reference data.</summary>
    public static ProjectFields? Validate(ProjectRequest r, ReferenceData reference, ValidationErrors errors, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(errors);
        var before = errors.Count;
        errors.Require(r.NgoId is not null, prefix + "ngoId", "ngoId is required.");
        var title = r.Title?.Trim();
        errors.Require(!string.IsNullOrEmpty(title) && title.Length <= 500, prefix + "title", "title is required, 500 characters or fewer.");
        errors.Require(r.Description is not { Length: > 4000 }, prefix + "description", "description must be 4000 characters or fewer.");
        var iati = NgoRules.Blank(r.IatiIdentifier);
        errors.Require(iati is null || (iati.Length <= 150 && !iati.Any(char.IsWhiteSpace)), prefix + "iatiIdentifier", "iatiIdentifier must be an IATI activity identifier of 150 characters or fewer.");
        errors.Require(r.Status is not null, prefix + "status", $"status is required: one of {string.Join(", ", Statuses)}.");
        errors.Require(r.StartDate is not null, prefix + "startDate", "startDate is required (YYYY-MM-DD).");
        errors.Require(r.LocalPartner is not { Length: > 300 }, prefix + "localPartner", "localPartner must be 300 characters or fewer.");
        if (errors.Require(r.Budget is not null, prefix + "budget", "budget { amount, currency } is required."))
        {
            errors.Require(r.Budget!.Amount is > 0 and <= 1_000_000_000_000m, prefix + "budget.amount", "budget.amount must be more than 0 and at most 10^12.");
            errors.Require(Currencies.IsCodeFormat(r.Budget.Currency), prefix + "budget.currency", "budget.currency must be an ISO 4217 code such as USD.");
        }

        if (errors.Require(r.Sectors is { Count: > 0 and <= 50 }, prefix + "sectors", "sectors must list 1 to 50 { code, percentage }."))
        {
            for (var i = 0; i < r.Sectors!.Count; i++)
            {
                errors.Require(r.Sectors[i] is { Code.Length: > 0 }, $"{prefix}sectors[{i}].code", "code is required.");
                errors.Require(r.Sectors[i] is { Percentage: > 0 and <= 100 }, $"{prefix}sectors[{i}].percentage", "percentage must be more than 0 and at most 100.");
            }

            errors.Require(r.Sectors.Select(s => s?.Code).Distinct().Count() == r.Sectors.Count, prefix + "sectors", "Each sector code may appear once.");
        }

        if (errors.Require(r.Locations is { Count: > 0 and <= 100 }, prefix + "locations", "locations must list 1 to 100 { provinceCode, percentage }."))
        {
            for (var i = 0; i < r.Locations!.Count; i++)
            {
                errors.Require(r.Locations[i] is { ProvinceCode.Length: > 0 }, $"{prefix}locations[{i}].provinceCode", "provinceCode is required.");
                errors.Require(r.Locations[i] is { Percentage: > 0 and <= 100 }, $"{prefix}locations[{i}].percentage", "percentage must be more than 0 and at most 100.");
            }

            errors.Require(r.Locations.Select(l => l?.ProvinceCode).Distinct().Count() == r.Locations.Count, prefix + "locations", "Each province code may appear once.");
        }

        var markers = r.PolicyMarkers ?? [];
        if (errors.Require(markers.Count <= 12, prefix + "policyMarkers", "policyMarkers lists at most 12 { code, significance }."))
        {
            for (var i = 0; i < markers.Count; i++)
            {
                errors.Require(markers[i] is { Code.Length: > 0 }, $"{prefix}policyMarkers[{i}].code", "code is required.");
                errors.Require(markers[i] is { Significance: not null }, $"{prefix}policyMarkers[{i}].significance", "significance is required.");
            }
        }

        if (errors.Count > before)
        {
            return null;
        }

        PolicyMarkerRules.Check(markers, reference.Iati, errors, prefix + "policyMarkers");
        errors.Require(Statuses.Contains(r.Status!), prefix + "status", $"status must be one of {string.Join(", ", Statuses)}.");
        var currency = r.Budget!.Currency!;
        if (errors.Require(reference.Currencies.MinorUnits.TryGetValue(currency, out var decimals), prefix + "budget.currency", $"{currency} is not a currency the platform carries."))
        {
            errors.Require(decimal.Round(r.Budget.Amount!.Value, decimals) == r.Budget.Amount, prefix + "budget.amount", $"{currency} amounts have at most {decimals} decimals.");
        }

        errors.Require(r.EndDate is null || r.EndDate >= r.StartDate, prefix + "endDate", "endDate must not be before startDate.");
        errors.Require(PlausibleDates.Contains(r.StartDate!.Value), prefix + "startDate", "startDate " + PlausibleDates.Message);
        errors.Require(r.EndDate is not { } end || PlausibleDates.Contains(end), prefix + "endDate", "endDate " + PlausibleDates.Message);
        for (var i = 0; i < r.Sectors!.Count; i++)
        {
            errors.Require(reference.Sectors.CategoryOf.ContainsKey(r.Sectors[i].Code!), $"{prefix}sectors[{i}].code", $"{r.Sectors[i].Code} is not an active DAC sector code.");
        }

        errors.Require(r.Sectors.Sum(s => s.Percentage!.Value) == 100m, prefix + "sectors", $"Sector percentages sum to {r.Sectors.Sum(s => s.Percentage!.Value)}, not 100.");
        for (var i = 0; i < r.Locations!.Count; i++)
        {
            errors.Require(reference.Provinces.CurrentOf.ContainsKey(r.Locations[i].ProvinceCode!), $"{prefix}locations[{i}].provinceCode", $"{r.Locations[i].ProvinceCode} is neither a current nor a former province code.");
        }

        errors.Require(r.Locations.Sum(l => l.Percentage!.Value) == 100m, prefix + "locations", $"Location percentages sum to {r.Locations.Sum(l => l.Percentage!.Value)}, not 100.");
        if (errors.Count > before)
        {
            return null;
        }

        return new ProjectFields(r.NgoId!.Value, title!, SearchText.Fold(title!), r.Description, iati, r.Status!, r.StartDate!.Value, r.EndDate,
            r.Budget.Amount!.Value, currency, NgoRules.Blank(r.LocalPartner),
            r.Sectors.Select(s => new SectorDto(s.Code!, reference.Sectors.CategoryOf[s.Code!], s.Percentage!.Value)).ToList(),
            r.Locations.Select(l => new LocationDto(l.ProvinceCode!, reference.Provinces.CurrentOf[l.ProvinceCode!], l.Percentage!.Value)).ToList(),
            PolicyMarkerRules.InCodeOrder(markers.Select(m => new PolicyMarkerDto(m.Code!, m.Significance!.Value))));
    }

    /// <summary>
    /// The NGO must exist and hold certificates valid on the start date that cover every location: a
    /// 422 naming the first rule broken (the NGO, then the date, then the provinces).
    /// </summary>
    public static void CheckCoverage(ProjectFields project, Coverage coverage)
    {
        ArgumentNullException.ThrowIfNull(project);
        ArgumentNullException.ThrowIfNull(coverage);
        if (!coverage.NgoExists)
        {
            throw Refusal($"NGO {project.NgoId} does not exist.", "ngoId", "Unknown NGO.");
        }

        if (coverage.CoveredProvinces.Count == 0)
        {
            throw Refusal($"The NGO holds no registration certificate valid on {project.StartDate:yyyy-MM-dd}.", "startDate", "No registration valid on this date.");
        }

        var uncovered = project.Locations.Where(l => !coverage.CoveredProvinces.Contains(l.CurrentProvinceCode)).Select(l => l.ProvinceCode).ToList();
        if (uncovered.Count > 0)
        {
            throw Refusal($"The NGO's registrations valid on {project.StartDate:yyyy-MM-dd} do not cover provinces {string.Join(", ", uncovered)}.",
                "locations", $"Not covered by a registration: {string.Join(", ", uncovered)}.");
        }
    }

    /// <summary>
    /// The list's filters: formats first; then a partner naming another NGO gets the 404 of one that does not
    /// exist; then a province code must name a current or former unit.
    /// </summary>
    public static ProjectFilter? ValidateQuery(ProjectQuery query, Guid? ownNgo, ReferenceData reference, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(errors);
        var sector = query.Sector;
        errors.Require(sector is null || (sector.Length is 3 or 5 && sector.All(char.IsAsciiDigit)), "sector", "sector must be a 5-digit DAC code or a 3-digit category.");
        errors.Require(query.ProvinceCode is null || (query.ProvinceCode.Length is > 0 and <= 3 && query.ProvinceCode.All(char.IsAsciiDigit)), "provinceCode", "provinceCode must be a province code of digits.");
        errors.Require(query.Q is not { Length: > 200 }, "q", "q must be 200 characters or fewer.");
        if (errors.Any)
        {
            return null;
        }

        if (query.NgoId is not null && ownNgo is not null && ownNgo != query.NgoId)
        {
            throw new NotFoundException($"NGO {query.NgoId} does not exist.");
        }

        string? current = null;
        if (!errors.Require(query.ProvinceCode is null || reference.Provinces.CurrentOf.TryGetValue(query.ProvinceCode, out current), "provinceCode", "Unknown province code."))
        {
            return null;
        }

        return new ProjectFilter(query.NgoId, ownNgo, query.Status, string.IsNullOrWhiteSpace(query.Q) ? null : SearchText.Contains(query.Q), current,
            sector?.Length == 5 ? sector : null, sector?.Length == 3 ? sector : null);
    }

    private static UnprocessableException Refusal(string detail, string field, string message)
    {
        var errors = new ValidationErrors();
        errors.Add(field, message);
        return errors.Refusal(detail);
    }
}
