using System.Text.Json;
using AidPlatform.Contracts.Disbursement;
using AidPlatform.Disbursement.Api.Domain;
using AidPlatform.ServiceDefaults.Messaging;
using RowEvents = AidPlatform.Disbursement.Api.Messaging.LedgerEvents;

namespace AidPlatform.Disbursement.Tests.Domain;

public sealed class Ledger_events
{
    private static readonly LedgerRow Row = new(Guid.CreateVersion7(), Given.Ngo, Given.Project.Id, "commitment", 1000m, "EUR", 1096.13m,
        0.9123m, new(2024, 3, 1), new(2024, 3, 15), "02", "08", "R-1", "first tranche");

    private static readonly DateTimeOffset At = new(2025, 6, 15, 3, 4, 5, TimeSpan.Zero);

    [Test]
    public void Serialise_a_recorded_row_field_for_field_as_the_outbox_carries_it()
    {
        var payload = JsonDocument.Parse(Outbox.Payload(RowEvents.Recorded(Row, At))).RootElement;

        Assert.That(payload.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString()), Is.EqualTo(new Dictionary<string, string>
        {
            ["eventId"] = Row.Id.ToString(), ["occurredAt"] = "2025-06-15T03:04:05+00:00", ["disbursementId"] = Row.Id.ToString(),
            ["ngoId"] = Given.Ngo.ToString(), ["projectId"] = Given.Project.Id.ToString(), ["type"] = "commitment", ["amount"] = "1000",
            ["currency"] = "EUR", ["amountUsd"] = "1096.13", ["fxRate"] = "0.9123", ["fxRateMonth"] = "2024-03", ["valueDate"] = "2024-03-15",
            ["provinceCode"] = "02", ["currentProvinceCode"] = "08", ["reference"] = "R-1",
        }));
    }

    [Test]
    public void Carry_a_reversal_with_the_row_it_reverses_and_its_reason()
    {
        var reversal = Reversal.Of(new LedgerEntry(Row, false, At), "entered twice");

        var e = JsonSerializer.Deserialize<DisbursementReversed>(Outbox.Payload(RowEvents.Reversed(reversal, At)), JsonSerializerOptions.Web)!;

        Assert.That(e, Is.EqualTo(new DisbursementReversed
        {
            EventId = reversal.Id, OccurredAt = At, DisbursementId = reversal.Id, ReversedDisbursementId = Row.Id, NgoId = Given.Ngo, ProjectId = Given.Project.Id,
            Type = "commitment", Amount = -1000m, Currency = "EUR", AmountUsd = -1096.13m, FxRate = 0.9123m, FxRateMonth = "2024-03",
            ValueDate = new(2024, 3, 15), ProvinceCode = "02", CurrentProvinceCode = "08", Reason = "entered twice",
        }));
    }
}
