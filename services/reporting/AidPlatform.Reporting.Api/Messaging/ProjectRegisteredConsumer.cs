using AidPlatform.Contracts.Registry;
using AidPlatform.Reporting.Api.Data;
using AidPlatform.Reporting.Api.Domain;
using AidPlatform.ServiceDefaults.Messaging;
using Npgsql;

namespace AidPlatform.Reporting.Api.Messaging;

/// <summary>Stores the project and allocates any of its transactions that arrived before it.</summary>
public sealed class ProjectRegisteredConsumer(Inbox inbox) : ProjectionConsumer<ProjectRegistered>(inbox)
{
    protected override Task Project(NpgsqlTransaction transaction, ProjectRegistered e) =>
        ProjectionStore.UpsertProject(transaction, new ProjectRow(e.ProjectId, e.Version, e.NgoId, e.Title, e.Status,
            e.StartDate, e.EndDate, e.BudgetAmount, e.BudgetCurrency, ProjectEventShares.Of(e.Sectors, e.Locations)));

    protected override DateTimeOffset OccurredAt(ProjectRegistered e) => e.OccurredAt;
}
