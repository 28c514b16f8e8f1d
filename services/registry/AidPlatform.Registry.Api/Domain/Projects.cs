using System.ComponentModel.DataAnnotations;

namespace AidPlatform.Registry.Api.Domain;

public sealed record MoneyDto(
    [property: Required, Range(typeof(decimal), "0.01", "1000000000000")] decimal? Amount,
    [property: Required, RegularExpression("^[A-Z]{3}$")] string? Currency);

public sealed record SectorShare([property: Required] string? Code, [property: Required, Range(typeof(decimal), "0.0001", "100")] decimal? Percentage);

public sealed record LocationShare([property: Required] string? ProvinceCode, [property: Required, Range(typeof(decimal), "0.0001", "100")] decimal? Percentage);

/// <summary>An IATI policy marker as a client sends it: code from PolicyMarker ("1"–"12"), significance from PolicySignificance (0–4).</summary>
public sealed record PolicyMarkerRequest([property: Required, StringLength(10, MinimumLength = 1)] string? Code, [property: Required, Range(0, 4)] int? Significance);

/// <summary>
/// A project as a client sends it. In a PUT, ngoId and approval are read-only: a project never moves to another NGO,
/// and its approval moves only by the approval actions. In a ministry's POST, approval.decision records an approval already given.
/// </summary>
public sealed record ProjectRequest([property: Required] Guid? NgoId, [property: Required, StringLength(500, MinimumLength = 1)] string? Title,
    [property: StringLength(4000)] string? Description, [property: StringLength(150)] string? IatiIdentifier, [property: Required, ProjectStatus] string? Status,
    [property: Required] DateOnly? StartDate, DateOnly? EndDate, [property: Required] MoneyDto? Budget,
    [property: Required, MinLength(1), MaxLength(50)] List<SectorShare>? Sectors, [property: Required, MinLength(1), MaxLength(100)] List<LocationShare>? Locations,
    [property: StringLength(300)] string? LocalPartner, [property: MaxLength(12)] List<PolicyMarkerRequest>? PolicyMarkers = null,
    ApprovalGiven? Approval = null);

public sealed record BudgetDto(decimal Amount, string Currency);

public sealed record SectorDto(string Code, string CategoryCode, decimal Percentage);

public sealed record LocationDto(string ProvinceCode, string CurrentProvinceCode, decimal Percentage);

/// <summary>An IATI policy marker a project carries (codes 1–12, significance 0–4).</summary>
public sealed record PolicyMarkerDto(string Code, int Significance);

public sealed record ProjectDto(Guid Id, Guid NgoId, string Title, string? Description, string? IatiIdentifier, [property: ProjectStatus] string Status,
    DateOnly StartDate, DateOnly? EndDate, BudgetDto Budget, IReadOnlyList<SectorDto> Sectors, IReadOnlyList<LocationDto> Locations,
    string? LocalPartner, IReadOnlyList<PolicyMarkerDto> PolicyMarkers, ApprovalDto Approval, int Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record OverlapDto(Guid ProjectId, Guid NgoId, string Title, [property: ProjectStatus] string Status, DateOnly StartDate, DateOnly? EndDate,
    IReadOnlyList<string> SharedProvinceCodes, IReadOnlyList<string> SharedSectorCategories);

/// <summary>A valid project ready to be written, its sectors and locations resolved to categories and current provinces.</summary>
public sealed record ProjectFields(Guid NgoId, string Title, string TitleSearch, string? Description, string? IatiIdentifier, string Status,
    DateOnly StartDate, DateOnly? EndDate, decimal BudgetAmount, string BudgetCurrency, string? LocalPartner,
    IReadOnlyList<SectorDto> Sectors, IReadOnlyList<LocationDto> Locations, IReadOnlyList<PolicyMarkerDto> PolicyMarkers);

/// <summary>Who registers or changes a project: a partner (for its own NGO, while draft) or the ministry.</summary>
public sealed record ProjectWriter(Guid? PartnerNgo)
{
    public bool IsPartner => PartnerNgo is not null;
}

/// <summary>The project list's filters, as bound; a sector is a 5-digit code or a 3-digit category.</summary>
public sealed record ProjectQuery(Guid? NgoId, string? ProvinceCode, string? Sector, string? Status, string? Q);

/// <summary>The project list's filters once checked: the province as its current unit, the sector split by kind.</summary>
public sealed record ProjectFilter(Guid? NgoId, Guid? OwnNgo, string? Status, string? TitlePattern, string? CurrentProvince, string? SectorCode, string? CategoryCode);

/// <summary>What the registry holds for a project's NGO on its start date: whether the NGO exists, and the provinces its valid certificates cover.</summary>
public sealed record Coverage(bool NgoExists, IReadOnlySet<string> CoveredProvinces);

/// <summary>IATI activity statuses as the API spells them, suspended added.</summary>
public sealed class ProjectStatusAttribute() : AllowedValuesAttribute([.. ProjectRules.Statuses]);
