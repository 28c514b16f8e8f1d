using AidPlatform.Contracts.Registry;
using AidPlatform.Reporting.Api.Data;
using AidPlatform.Reporting.Api.Domain;
using AidPlatform.ServiceDefaults.Messaging;
using Npgsql;

namespace AidPlatform.Reporting.Api.Messaging;

/// <summary>Keeps the newest NGO state; an older one arriving late changes nothing.</summary>
public sealed class NgoUpdatedConsumer(Inbox inbox) : ProjectionConsumer<NgoUpdated>(inbox)
{
    protected override Task Project(NpgsqlTransaction transaction, NgoUpdated e) =>
        ProjectionStore.UpsertNgo(transaction, new NgoRow(e.NgoId, e.Version, e.Name, e.CountryOfOrigin));

    protected override DateTimeOffset OccurredAt(NgoUpdated e) => e.OccurredAt;
}
