using System.Net.Http.Json;
using System.Text.Json;
using AidPlatform.Contracts.Disbursement;
using AidPlatform.Contracts.Registry;
using AidPlatform.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace AidPlatform.Reporting.Tests;

/// <summary>
/// Specs that publish events to the real broker for the real consumers and read what reporting made of
/// them, with the events they publish and the reports they read. Each test works with its own NGO.
/// </summary>
public abstract class ProjectionSpecs : ServiceSpecs<Program>
{
    /// <summary>The fake ledger reporting asks for its totals.</summary>
    protected FakeDisbursement Ledger { get; private set; } = null!;

    protected IBus Bus => Factory.Services.GetRequiredService<IBus>();

    protected override async Task<ServiceFactory<Program>> StartService()
    {
        Ledger = Own(await FakeDisbursement.Start());
        return new ReportingFactory(Ledger);
    }

    protected static readonly string[] ReportingTypes = ["commitment", "disbursement", "expenditure"];

    protected Task Publish(object message) => Bus.Publish(message, message.GetType());

    /// <summary>Publishes under a chosen message id: twice with one id is a redelivery, for the inbox to see through.</summary>
    protected Task Publish(object message, Guid messageId) => Bus.Publish(message, message.GetType(), c => c.MessageId = messageId);

    /// <summary>Waits until the message was projected (its effect committed with its freshness row): a stale event has had its turn.</summary>
    protected static Task WaitForProjected(Guid messageId) =>
        Eventually.True(async () =>
        {
            await using var connection = new Npgsql.NpgsqlConnection(TestEnvironment.ServiceConnectionString("reporting"));
            return await Dapper.SqlMapper.ExecuteScalarAsync<bool>(connection, "select exists (select 1 from processed_events where message_id = @messageId)", new { messageId });
        }, $"message {messageId} to be projected");

    /// <summary>
    /// Publishes a project and waits until reporting holds it: the project and its disbursements travel on
    /// separate queues, so a spec about where money lands must not race its project (that race has its own spec).
    /// </summary>
    protected async Task PublishProject(object project)
    {
        await Publish(project);
        var id = ((ProjectRegistered)project).ProjectId;
        await Eventually.True(async () => (await Client.GetAsync($"/api/v1/reports/projects/{id}")).IsSuccessStatusCode, $"project {id} to be projected");
    }

    protected static object Project(Guid ngo, Guid project, int version, (string Code, decimal Percentage)[] locations, bool updated = false, decimal budget = 100_000m, string currency = "USD",
        (string Code, int Significance)[]? markers = null)
    {
        var registered = new ProjectRegistered
        {
            EventId = Guid.NewGuid(), OccurredAt = DateTimeOffset.UtcNow, ProjectId = project, Version = version, NgoId = ngo,
            Title = "Fictitious project (test)", Status = "implementation", StartDate = new DateOnly(2024, 1, 15), BudgetAmount = budget, BudgetCurrency = currency,
            Sectors = [new ProjectSector { Code = "12220", CategoryCode = "122", Percentage = 62.5m }, new ProjectSector { Code = "11220", CategoryCode = "112", Percentage = 37.5m }],
            Locations = locations.Select(l => new ProjectLocation { ProvinceCode = l.Code, CurrentProvinceCode = l.Code == "10" ? "15" : l.Code, Percentage = l.Percentage }).ToList(),
            PolicyMarkers = [.. (markers ?? []).Select(m => new ProjectPolicyMarker { Code = m.Code, Significance = m.Significance })],
        };
        return !updated ? registered : new ProjectUpdated
        {
            EventId = registered.EventId, OccurredAt = registered.OccurredAt, ProjectId = project, Version = version, NgoId = ngo, Title = registered.Title,
            Status = registered.Status, StartDate = registered.StartDate, BudgetAmount = budget, BudgetCurrency = currency, Sectors = registered.Sectors, Locations = registered.Locations,
            PolicyMarkers = registered.PolicyMarkers,
        };
    }

    protected static DisbursementRecorded Disbursement(Guid ngo, Guid project, decimal amountUsd, string type = "disbursement", DateOnly? valueDate = null, string? province = null) => new()
    {
        EventId = Guid.NewGuid(), OccurredAt = DateTimeOffset.UtcNow, DisbursementId = Guid.NewGuid(), NgoId = ngo, ProjectId = project, Type = type,
        Amount = amountUsd, Currency = "USD", AmountUsd = amountUsd, FxRate = 1m, FxRateMonth = "2024-03", ValueDate = valueDate ?? new DateOnly(2024, 3, 10),
        ProvinceCode = province, CurrentProvinceCode = province, Reference = Guid.NewGuid().ToString(),
    };

    protected async Task<JsonElement> Summary(Guid ngo) => await Client.GetFromJsonAsync<JsonElement>($"/api/v1/reports/summary?ngoId={ngo}");

    protected async Task<JsonElement> Breakdown(Guid ngo, string by) => await Client.GetFromJsonAsync<JsonElement>($"/api/v1/reports/breakdown?by={by}&ngoId={ngo}");

    protected async Task<List<JsonElement>> Rows(Guid ngo, string by) => (await Breakdown(ngo, by)).GetProperty("rows").EnumerateArray().ToList();

    protected async Task<List<string>> ProvinceKeys(Guid ngo) => (await Rows(ngo, "province")).Select(r => r.GetProperty("key").GetString()!).ToList();

    protected async Task WaitForTotal(Guid ngo, decimal total) =>
        await Eventually.True(async () =>
        {
            var s = await Summary(ngo);
            return s.GetProperty("committedUsd").GetDecimal() + s.GetProperty("disbursedUsd").GetDecimal() + s.GetProperty("expenditureUsd").GetDecimal() == total;
        }, $"the NGO's total to reach {total}");

    protected static DisbursementReversed Reversal(DisbursementRecorded original) => new()
    {
        EventId = Guid.NewGuid(), OccurredAt = DateTimeOffset.UtcNow, DisbursementId = Guid.NewGuid(), ReversedDisbursementId = original.DisbursementId,
        NgoId = original.NgoId, ProjectId = original.ProjectId, Type = original.Type, Amount = -original.Amount, Currency = original.Currency,
        AmountUsd = -original.AmountUsd, FxRate = original.FxRate, FxRateMonth = original.FxRateMonth, ValueDate = original.ValueDate,
        ProvinceCode = original.ProvinceCode, CurrentProvinceCode = original.CurrentProvinceCode, Reason = "entered twice",
    };
}
