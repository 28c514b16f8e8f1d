using AidPlatform.Contracts.Registry;
using AidPlatform.Reporting.Api.Data;
using AidPlatform.Reporting.Api.Domain;
using AidPlatform.ServiceDefaults.Messaging;
using Npgsql;

namespace AidPlatform.Reporting.Api.Messaging;

/// <summary>Re-allocates the project's transactions when its sectors or locations change.</summary>
public sealed class ProjectUpdatedConsumer(Inbox inbox) : ProjectionConsumer<ProjectUpdated>(inbox)
{
    protected override Task Project(NpgsqlTransaction transaction, ProjectUpdated e) =>
        ProjectionStore.UpsertProject(transaction, new ProjectRow(e.ProjectId, e.Version, e.NgoId, e.Title, e.Status,
            e.StartDate, e.EndDate, e.BudgetAmount, e.BudgetCurrency, ProjectEventShares.Of(e.Sectors, e.Locations)));

    protected override DateTimeOffset OccurredAt(ProjectUpdated e) => e.OccurredAt;
}
