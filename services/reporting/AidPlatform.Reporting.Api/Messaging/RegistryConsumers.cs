using AidPlatform.Contracts.Registry;
using AidPlatform.Reporting.Api.Data;
using AidPlatform.Reporting.Api.Domain;
using AidPlatform.ServiceDefaults.Messaging;
using Npgsql;

namespace AidPlatform.Reporting.Api.Messaging;

// The registry's events, each mapped once to a projection store call.

/// <summary>Keeps the NGO's name and country for labels and the country breakdown.</summary>
public sealed class NgoRegisteredConsumer(Inbox inbox) : ProjectionConsumer<NgoRegistered>(inbox)
{
    protected override Task Project(NpgsqlTransaction transaction, NgoRegistered e) =>
        ProjectionStore.UpsertNgo(transaction, new NgoRow(e.NgoId, e.Version, e.Name, e.CountryOfOrigin));

    protected override DateTimeOffset OccurredAt(NgoRegistered e) => e.OccurredAt;
}

/// <summary>Keeps the newest NGO state; an older one arriving late changes nothing.</summary>
public sealed class NgoUpdatedConsumer(Inbox inbox) : ProjectionConsumer<NgoUpdated>(inbox)
{
    protected override Task Project(NpgsqlTransaction transaction, NgoUpdated e) =>
        ProjectionStore.UpsertNgo(transaction, new NgoRow(e.NgoId, e.Version, e.Name, e.CountryOfOrigin));

    protected override DateTimeOffset OccurredAt(NgoUpdated e) => e.OccurredAt;
}

/// <summary>Keeps the NGOs' registration certificates as recorded (version 1).</summary>
public sealed class RegistrationRecordedConsumer(Inbox inbox) : ProjectionConsumer<RegistrationRecorded>(inbox)
{
    protected override Task Project(NpgsqlTransaction transaction, RegistrationRecorded e) =>
        ProjectionStore.RecordRegistration(transaction, new RegistrationRow(
            e.RegistrationId, e.NgoId, e.Kind, e.IssuedOn, e.ExpiresOn, e.ProvinceCodes, e.SectorCategories, e.Version));

    protected override DateTimeOffset OccurredAt(RegistrationRecorded e) => e.OccurredAt;
}

/// <summary>Keeps a certificate's newest state after an amendment, extension, suspension, reinstatement or revocation.</summary>
public sealed class RegistrationChangedConsumer(Inbox inbox) : ProjectionConsumer<RegistrationChanged>(inbox)
{
    protected override Task Project(NpgsqlTransaction transaction, RegistrationChanged e) =>
        ProjectionStore.RecordRegistration(transaction, new RegistrationRow(
            e.RegistrationId, e.NgoId, e.Kind, e.IssuedOn, e.ExpiresOn, e.ProvinceCodes, e.SectorCategories, e.Version, e.Status));

    protected override DateTimeOffset OccurredAt(RegistrationChanged e) => e.OccurredAt;
}

/// <summary>Keeps the tightest expiry notice sent for a certificate (90, 30 or 7 days before).</summary>
public sealed class RegistrationExpiringConsumer(Inbox inbox) : ProjectionConsumer<RegistrationExpiring>(inbox)
{
    protected override Task Project(NpgsqlTransaction transaction, RegistrationExpiring e) =>
        ProjectionStore.RecordExpiryNotice(transaction, e.RegistrationId, e.ExpiresOn, e.DaysBefore);

    protected override DateTimeOffset OccurredAt(RegistrationExpiring e) => e.OccurredAt;
}

/// <summary>Stores the project and allocates any of its transactions that arrived before it.</summary>
public sealed class ProjectRegisteredConsumer(Inbox inbox) : ProjectionConsumer<ProjectRegistered>(inbox)
{
    protected override Task Project(NpgsqlTransaction transaction, ProjectRegistered e) =>
        ProjectionStore.UpsertProject(transaction, new ProjectRow(e.ProjectId, e.Version, e.NgoId, e.Title, e.Status,
            e.StartDate, e.EndDate, e.BudgetAmount, e.BudgetCurrency, Shares.Of(e.Sectors, e.Locations), Shares.Of(e.PolicyMarkers)));

    protected override DateTimeOffset OccurredAt(ProjectRegistered e) => e.OccurredAt;
}

/// <summary>Re-allocates the project's transactions when its sectors or locations change, and replaces its policy markers.</summary>
public sealed class ProjectUpdatedConsumer(Inbox inbox) : ProjectionConsumer<ProjectUpdated>(inbox)
{
    protected override Task Project(NpgsqlTransaction transaction, ProjectUpdated e) =>
        ProjectionStore.UpsertProject(transaction, new ProjectRow(e.ProjectId, e.Version, e.NgoId, e.Title, e.Status,
            e.StartDate, e.EndDate, e.BudgetAmount, e.BudgetCurrency, Shares.Of(e.Sectors, e.Locations), Shares.Of(e.PolicyMarkers)));

    protected override DateTimeOffset OccurredAt(ProjectUpdated e) => e.OccurredAt;
}

/// <summary>Stores a new result's state; a newer one already held (its update arrived first) stays.</summary>
public sealed class ResultRecordedConsumer(Inbox inbox) : ProjectionConsumer<ResultRecorded>(inbox)
{
    protected override Task Project(NpgsqlTransaction transaction, ResultRecorded e) =>
        ProjectionStore.UpsertResult(transaction, new ResultRow(e.ResultId, e.Version, e.ProjectId, e.NgoId, e.Type, e.Title, e.Description, Shares.Of(e.Indicators)));

    protected override DateTimeOffset OccurredAt(ResultRecorded e) => e.OccurredAt;
}

/// <summary>Replaces a result's state as a whole with a newer one; an older or equal version arriving late changes nothing.</summary>
public sealed class ResultUpdatedConsumer(Inbox inbox) : ProjectionConsumer<ResultUpdated>(inbox)
{
    protected override Task Project(NpgsqlTransaction transaction, ResultUpdated e) =>
        ProjectionStore.UpsertResult(transaction, new ResultRow(e.ResultId, e.Version, e.ProjectId, e.NgoId, e.Type, e.Title, e.Description, Shares.Of(e.Indicators)));

    protected override DateTimeOffset OccurredAt(ResultUpdated e) => e.OccurredAt;
}

/// <summary>A registry event's lists as the read models keep them.</summary>
file static class Shares
{
    public static IReadOnlyList<(string Code, int Significance)> Of(IReadOnlyList<ProjectPolicyMarker>? markers) =>
        [.. (markers ?? []).Select(m => (m.Code, m.Significance))];

    public static IReadOnlyList<IndicatorRow> Of(IReadOnlyList<ResultIndicator> indicators) =>
        [.. indicators.Select(i => new IndicatorRow(i.Title, i.Description, i.Measure, i.Ascending,
            [.. i.References.Select(r => (r.Vocabulary, r.Code))],
            i.Baseline.Year, i.Baseline.Value, i.Baseline.Comment,
            [.. i.Periods.Select(p => new PeriodRow(p.Start, p.End, p.Target.Value, p.Target.Comment, p.Actual?.Value, p.Actual?.Comment, p.ProvinceCode))]))];

    public static ProjectShares Of(IReadOnlyList<ProjectSector> sectors, IReadOnlyList<ProjectLocation> locations) => new(
        [.. sectors.Select(s => (s.Code, s.CategoryCode, s.Percentage))],
        // Reports use the current 34 units, whatever code the partner gave.
        [.. locations.Select(l => (l.CurrentProvinceCode, l.Percentage))]);
}
