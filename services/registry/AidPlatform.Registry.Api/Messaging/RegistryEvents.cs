using AidPlatform.Contracts.Registry;
using AidPlatform.Registry.Api.Domain;

namespace AidPlatform.Registry.Api.Messaging;

/// <summary>
/// The one place each registry event is built from the state just written. Every event carries the
/// object's full state, so consumers never call back.
/// </summary>
public static class RegistryEvents
{
    public static NgoRegistered NgoRegistered(NgoDto ngo) => new()
    {
        EventId = Guid.CreateVersion7(), OccurredAt = DateTimeOffset.UtcNow, NgoId = ngo.Id, Version = ngo.Version, Name = ngo.Name, Acronym = ngo.Acronym,
        CountryOfOrigin = ngo.CountryOfOrigin, IatiOrgRef = ngo.IatiOrgRef, Website = ngo.Website, Email = ngo.Email, Status = ngo.Status,
    };

    public static NgoUpdated NgoUpdated(NgoDto ngo) => new()
    {
        EventId = Guid.CreateVersion7(), OccurredAt = DateTimeOffset.UtcNow, NgoId = ngo.Id, Version = ngo.Version, Name = ngo.Name, Acronym = ngo.Acronym,
        CountryOfOrigin = ngo.CountryOfOrigin, IatiOrgRef = ngo.IatiOrgRef, Website = ngo.Website, Email = ngo.Email, Status = ngo.Status,
    };

    public static ProjectRegistered ProjectRegistered(ProjectDto project) => new()
    {
        EventId = Guid.CreateVersion7(), OccurredAt = DateTimeOffset.UtcNow, ProjectId = project.Id, Version = project.Version, NgoId = project.NgoId, Title = project.Title,
        IatiIdentifier = project.IatiIdentifier, Status = project.Status, StartDate = project.StartDate, EndDate = project.EndDate,
        BudgetAmount = project.Budget.Amount, BudgetCurrency = project.Budget.Currency, Sectors = Sectors(project), Locations = Locations(project),
        PolicyMarkers = PolicyMarkers(project), ApprovalState = project.Approval.State,
    };

    public static ProjectUpdated ProjectUpdated(ProjectDto project) => new()
    {
        EventId = Guid.CreateVersion7(), OccurredAt = DateTimeOffset.UtcNow, ProjectId = project.Id, Version = project.Version, NgoId = project.NgoId, Title = project.Title,
        IatiIdentifier = project.IatiIdentifier, Status = project.Status, StartDate = project.StartDate, EndDate = project.EndDate,
        BudgetAmount = project.Budget.Amount, BudgetCurrency = project.Budget.Currency, Sectors = Sectors(project), Locations = Locations(project),
        PolicyMarkers = PolicyMarkers(project), ApprovalState = project.Approval.State,
    };

    /// <summary>A certificate, with its NGO's status once it is recorded; province codes as current units.</summary>
    public static RegistrationRecorded RegistrationRecorded(RegistrationDto registration, string ngoStatus) => new()
    {
        EventId = Guid.CreateVersion7(), OccurredAt = DateTimeOffset.UtcNow, RegistrationId = registration.Id, NgoId = registration.NgoId, Kind = registration.Kind,
        CertificateNumber = registration.CertificateNumber, IssuedOn = registration.IssuedOn, ExpiresOn = registration.ExpiresOn,
        ProvinceCodes = registration.CurrentProvinceCodes, SectorCategories = registration.SectorCategories, NgoStatus = ngoStatus,
        Version = registration.Version,
    };

    /// <summary>A certificate's full state after an action, with its interruptions and its NGO's status; province codes as current units.</summary>
    public static RegistrationChanged RegistrationChanged(RegistrationDto registration, CertificateChange change, string ngoStatus) => new()
    {
        EventId = Guid.CreateVersion7(), OccurredAt = DateTimeOffset.UtcNow, RegistrationId = registration.Id, Version = registration.Version,
        NgoId = registration.NgoId, Action = change.Action, EffectiveOn = change.EffectiveOn, Reason = change.Reason, Kind = registration.Kind,
        CertificateNumber = registration.CertificateNumber, IssuedOn = registration.IssuedOn, ExpiresOn = registration.ExpiresOn, Status = registration.Status,
        ProvinceCodes = registration.CurrentProvinceCodes, SectorCategories = registration.SectorCategories,
        Interruptions = registration.Interruptions.Select(i => new CertificateInterruption { Kind = i.Kind, From = i.From, Until = i.Until }).ToList(),
        NgoStatus = ngoStatus,
    };

    /// <summary>A certificate's expiry is <paramref name="daysBefore"/> days away (90, 30 or 7).</summary>
    public static RegistrationExpiring RegistrationExpiring(Guid registrationId, Guid ngoId, string certificateNumber, DateOnly expiresOn, int daysBefore) => new()
    {
        EventId = Guid.CreateVersion7(), OccurredAt = DateTimeOffset.UtcNow, RegistrationId = registrationId, NgoId = ngoId,
        CertificateNumber = certificateNumber, ExpiresOn = expiresOn, DaysBefore = daysBefore,
    };

    private static List<ProjectSector> Sectors(ProjectDto project) =>
        project.Sectors.Select(s => new ProjectSector { Code = s.Code, CategoryCode = s.CategoryCode, Percentage = s.Percentage }).ToList();

    public static ResultRecorded ResultRecorded(ResultDto result) => new()
    {
        EventId = Guid.CreateVersion7(), OccurredAt = DateTimeOffset.UtcNow, ResultId = result.Id, Version = result.Version, ProjectId = result.ProjectId,
        NgoId = result.NgoId, Type = result.Type, Title = result.Title, Description = result.Description, Indicators = Indicators(result),
    };

    public static ResultUpdated ResultUpdated(ResultDto result) => new()
    {
        EventId = Guid.CreateVersion7(), OccurredAt = DateTimeOffset.UtcNow, ResultId = result.Id, Version = result.Version, ProjectId = result.ProjectId,
        NgoId = result.NgoId, Type = result.Type, Title = result.Title, Description = result.Description, Indicators = Indicators(result),
    };

    private static List<ResultIndicator> Indicators(ResultDto result) => result.Indicators.Select(i => new ResultIndicator
    {
        Title = i.Title, Description = i.Description, Measure = i.Measure, Ascending = i.Ascending,
        References = i.References.Select(r => new IndicatorReference { Vocabulary = r.Vocabulary, Code = r.Code }).ToList(),
        Baseline = new IndicatorBaseline { Year = i.Baseline.Year, Value = i.Baseline.Value, Comment = i.Baseline.Comment },
        Periods = i.Periods.Select(p => new IndicatorPeriod
        {
            Start = p.Start, End = p.End, Target = Value(p.Target)!, Actual = Value(p.Actual), ProvinceCode = p.ProvinceCode,
        }).ToList(),
    }).ToList();

    private static IndicatorValue? Value(IndicatorValueDto? value) => value is null ? null : new IndicatorValue { Value = value.Value, Comment = value.Comment };

    private static List<ProjectPolicyMarker> PolicyMarkers(ProjectDto project) =>
        project.PolicyMarkers.Select(m => new ProjectPolicyMarker { Code = m.Code, Significance = m.Significance }).ToList();

    private static List<ProjectLocation> Locations(ProjectDto project) =>
        project.Locations.Select(l => new ProjectLocation { ProvinceCode = l.ProvinceCode, CurrentProvinceCode = l.CurrentProvinceCode, Percentage = l.Percentage }).ToList();
}
