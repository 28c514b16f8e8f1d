using AidPlatform.ServiceDefaults.Validation;

namespace AidPlatform.Reporting.Api.Domain;

/// <summary>The query values as bound (their formats already checked by the strict query string).</summary>
public sealed record ReportQuery(DateOnly? From, DateOnly? To, Guid? NgoId, Guid? ProjectId, string? ProvinceCode, string? Sector, string? Type);

/// <summary>The filters every report takes: value-date range, NGO, project, province (any code), sector (code or category), type.</summary>
public sealed record ReportFilter(DateOnly? From, DateOnly? To, Guid? NgoId, string? ProvinceCode, string? SectorCode, string? CategoryCode, string? Type, Guid? ProjectId = null)
{
    /// <summary>The detail of the 422 for a filter with invalid values.</summary>
    public const string Invalid = "A filter is invalid.";

    /// <summary>
    /// The filter as asked, when its values are well formed: <c>to</c> not before <c>from</c>, a province code of
    /// digits, a sector of 5 digits (a DAC purpose code) or 3 (a category). A partner's reports are scoped to its
    /// NGO (<paramref name="partnerNgo"/>, null for everyone else and for open data). The province code is still
    /// the one given: whether the codes name anything, and whether the NGO and project are the partner's own, is
    /// for the data to say.
    /// </summary>
    public static ReportFilter? Validate(ReportQuery query, Guid? partnerNgo, ValidationErrors errors, string prefix = "")
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(errors);
        var valid = errors.Require(query.From is null || query.To is null || query.From <= query.To, prefix + "to", "to must not be before from.");
        valid &= errors.Require(query.ProvinceCode is null || (query.ProvinceCode.Length is > 0 and <= 3 && query.ProvinceCode.All(char.IsAsciiDigit)),
            prefix + "provinceCode", "provinceCode must be a province code of digits, such as 01 or 79.");
        valid &= errors.Require(query.Sector is null || (query.Sector.Length is 3 or 5 && query.Sector.All(char.IsAsciiDigit)),
            prefix + "sector", "sector must be a 5-digit DAC purpose code or a 3-digit category.");
        if (!valid)
        {
            return null;
        }

        return new ReportFilter(query.From, query.To, query.NgoId ?? partnerNgo, query.ProvinceCode,
            query.Sector?.Length == 5 ? query.Sector : null,
            query.Sector?.Length == 3 ? query.Sector : null,
            query.Type, query.ProjectId);
    }
}
