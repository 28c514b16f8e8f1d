using AidPlatform.Contracts.Registry;
using AidPlatform.Reporting.Api.Data;
using AidPlatform.ServiceDefaults.Messaging;
using Dapper;
using MassTransit;

namespace AidPlatform.Reporting.Api.Messaging;

/// <summary>Keeps the NGOs' registration certificates; a certificate is recorded once and never changes.</summary>
public sealed class RegistrationRecordedConsumer(Inbox inbox) : IConsumer<RegistrationRecorded>
{
    public async Task Consume(ConsumeContext<RegistrationRecorded> context)
    {
        var e = context.Message;
        await inbox.Once(context, nameof(RegistrationRecordedConsumer), async transaction =>
        {
            await transaction.Connection!.ExecuteAsync("""
                insert into registrations (id, ngo_id, kind, issued_on, expires_on, province_codes, sector_categories)
                values (@RegistrationId, @NgoId, @Kind, @IssuedOn, @ExpiresOn, @ProvinceCodes, @SectorCategories)
                on conflict (id) do nothing
                """, new { e.RegistrationId, e.NgoId, e.Kind, e.IssuedOn, e.ExpiresOn, ProvinceCodes = e.ProvinceCodes.ToArray(), SectorCategories = e.SectorCategories.ToArray() }, transaction);
            await Freshness.Record(transaction, context.MessageId!.Value, nameof(RegistrationRecorded), e.OccurredAt);
        });
    }
}
