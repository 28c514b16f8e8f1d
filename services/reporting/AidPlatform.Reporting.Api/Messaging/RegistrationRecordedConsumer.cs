using AidPlatform.Contracts.Registry;
using AidPlatform.Reporting.Api.Data;
using AidPlatform.Reporting.Api.Domain;
using AidPlatform.ServiceDefaults.Messaging;
using Npgsql;

namespace AidPlatform.Reporting.Api.Messaging;

/// <summary>Keeps the NGOs' registration certificates; a certificate is recorded once and never changes.</summary>
public sealed class RegistrationRecordedConsumer(Inbox inbox) : ProjectionConsumer<RegistrationRecorded>(inbox)
{
    protected override Task Project(NpgsqlTransaction transaction, RegistrationRecorded e) =>
        ProjectionStore.RecordRegistration(transaction, new RegistrationRow(
            e.RegistrationId, e.NgoId, e.Kind, e.IssuedOn, e.ExpiresOn, e.ProvinceCodes, e.SectorCategories));

    protected override DateTimeOffset OccurredAt(RegistrationRecorded e) => e.OccurredAt;
}
