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

/// <summary>Keeps the NGOs' registration certificates; a certificate is recorded once and never changes.</summary>
public sealed class RegistrationRecordedConsumer(Inbox inbox) : ProjectionConsumer<RegistrationRecorded>(inbox)
{
    protected override Task Project(NpgsqlTransaction transaction, RegistrationRecorded e) =>
        ProjectionStore.RecordRegistration(transaction, new RegistrationRow(
            e.RegistrationId, e.NgoId, e.Kind, e.IssuedOn, e.ExpiresOn, e.ProvinceCodes, e.SectorCategories));

    protected override DateTimeOffset OccurredAt(RegistrationRecorded e) => e.OccurredAt;
}

/// <summary>Stores the project and allocates any of its transactions that arrived before it.</summary>
public sealed class ProjectRegisteredConsumer(Inbox inbox) : ProjectionConsumer<ProjectRegistered>(inbox)
{
    protected override Task Project(NpgsqlTransaction transaction, ProjectRegistered e) =>
        ProjectionStore.UpsertProject(transaction, new ProjectRow(e.ProjectId, e.Version, e.NgoId, e.Title, e.Status,
            e.StartDate, e.EndDate, e.BudgetAmount, e.BudgetCurrency, Shares.Of(e.Sectors, e.Locations)));

    protected override DateTimeOffset OccurredAt(ProjectRegistered e) => e.OccurredAt;
}

/// <summary>Re-allocates the project's transactions when its sectors or locations change.</summary>
public sealed class ProjectUpdatedConsumer(Inbox inbox) : ProjectionConsumer<ProjectUpdated>(inbox)
{
    protected override Task Project(NpgsqlTransaction transaction, ProjectUpdated e) =>
        ProjectionStore.UpsertProject(transaction, new ProjectRow(e.ProjectId, e.Version, e.NgoId, e.Title, e.Status,
            e.StartDate, e.EndDate, e.BudgetAmount, e.BudgetCurrency, Shares.Of(e.Sectors, e.Locations)));

    protected override DateTimeOffset OccurredAt(ProjectUpdated e) => e.OccurredAt;
}

/// <summary>A project event's sectors and locations, as the projection splits transactions by them.</summary>
file static class Shares
{
    public static ProjectShares Of(IReadOnlyList<ProjectSector> sectors, IReadOnlyList<ProjectLocation> locations) => new(
        [.. sectors.Select(s => (s.Code, s.CategoryCode, s.Percentage))],
        // Reports use the current 34 units, whatever code the partner gave.
        [.. locations.Select(l => (l.CurrentProvinceCode, l.Percentage))]);
}
