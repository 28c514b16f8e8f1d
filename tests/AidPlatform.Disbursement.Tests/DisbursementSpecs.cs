using System.Collections.Concurrent;
using AidPlatform.Contracts.Disbursement;
using AidPlatform.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AidPlatform.Disbursement.Tests;

/// <summary>
/// Specs against the disbursement service on the real test database and broker, with the registry replaced
/// by a small fake and a tap on the ledger's events bound before anything is written.
/// </summary>
public abstract class DisbursementSpecs : ServiceSpecs<Program>
{
    private EventTap events = null!;

    protected FakeRegistry Registry { get; private set; } = null!;

    /// <summary>The ledger's events received so far, in arrival order.</summary>
    protected IEnumerable<DisbursementRecorded> Recorded => events.Of<DisbursementRecorded>();

    protected IEnumerable<DisbursementReversed> Reversed => events.Of<DisbursementReversed>();

    /// <summary>The parts of imports received so far.</summary>
    protected IEnumerable<DisbursementsImported> Imported => events.Of<DisbursementsImported>();

    protected override async Task<ServiceFactory<Program>> StartService()
    {
        events = Own(await EventTap.Listen(c => c.Collect<DisbursementRecorded>().Collect<DisbursementReversed>().Collect<DisbursementsImported>()));
        Registry = Own(await FakeRegistry.Start());
        return new ServiceFactory<Program>("disbursement", new Dictionary<string, string> { ["Services:Registry:BaseUrl"] = Registry.BaseAddress });
    }
}

/// <summary>A stand-in for the registry's GET /api/v1/projects/{id}: known projects, unknown ones (404), or down (503).</summary>
public sealed class FakeRegistry : IAsyncDisposable
{
    private FakeService service = null!;

    private FakeRegistry()
    {
    }

    public string BaseAddress => service.BaseAddress;

    public ConcurrentDictionary<Guid, object> Projects { get; } = new();

    public bool Down { get; set; }

    public Guid AddProject(Guid? ngoId = null, string status = "implementation")
    {
        var id = Guid.NewGuid();
        Projects[id] = new { id, ngoId = ngoId ?? Guid.NewGuid(), status, startDate = "2019-01-01", endDate = (string?)null, version = 1 };
        return id;
    }

    public static async Task<FakeRegistry> Start()
    {
        var fake = new FakeRegistry();
        fake.service = await FakeService.Start(app => app.MapGet("/api/v1/projects/{id:guid}", (Guid id) =>
            fake.Down ? Results.StatusCode(503) : fake.Projects.TryGetValue(id, out var project) ? Results.Json(project) : Results.NotFound()));
        return fake;
    }

    public ValueTask DisposeAsync() => service.DisposeAsync();
}
