using AidPlatform.Contracts.Registry;
using AidPlatform.Reporting.Api.Data;
using AidPlatform.Reporting.Api.Domain;
using AidPlatform.ServiceDefaults.Messaging;
using Npgsql;

namespace AidPlatform.Reporting.Api.Messaging;

/// <summary>Keeps the NGO's name and country for labels and the country breakdown.</summary>
public sealed class NgoRegisteredConsumer(Inbox inbox) : ProjectionConsumer<NgoRegistered>(inbox)
{
    protected override Task Project(NpgsqlTransaction transaction, NgoRegistered e) =>
        ProjectionStore.UpsertNgo(transaction, new NgoRow(e.NgoId, e.Version, e.Name, e.CountryOfOrigin));

    protected override DateTimeOffset OccurredAt(NgoRegistered e) => e.OccurredAt;
}
