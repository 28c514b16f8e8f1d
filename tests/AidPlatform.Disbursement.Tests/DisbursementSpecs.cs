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

/// <summary>
/// A stand-in for the registry's GET /api/v1/projects/{id} and GET /api/v1/ngos/{id}/registrations: known projects
/// (approved unless told, from 2015 with no end, in provinces 01, 08, 15 and 79) and their NGOs' certificates (one
/// valid 2015–2035 covering the project's provinces, unless told none), unknown ones (404), or down (503).
/// </summary>
public sealed class FakeRegistry : IAsyncDisposable
{
    public static readonly string[] Provinces = ["01", "08", "15", "79"];

    private FakeService service = null!;

    private FakeRegistry()
    {
    }

    public string BaseAddress => service.BaseAddress;

    public ConcurrentDictionary<Guid, object> Projects { get; } = new();

    /// <summary>Per NGO, its certificates by id.</summary>
    public ConcurrentDictionary<Guid, ConcurrentDictionary<Guid, object>> Registrations { get; } = new();

    public bool Down { get; set; }

    /// <summary>Times the registrations of an NGO were asked for (all pages count once each).</summary>
    public ConcurrentDictionary<Guid, int> RegistrationReads { get; } = new();

    public Guid AddProject(Guid? ngoId = null, string status = "implementation", string approval = "approved", string startDate = "2015-01-01",
        string? endDate = null, string[]? provinces = null, bool certified = true)
    {
        var id = Guid.NewGuid();
        var ngo = ngoId ?? Guid.NewGuid();
        provinces ??= Provinces;
        SetProject(id, ngo, 1, status, approval, startDate, endDate, provinces);
        if (certified)
        {
            SetRegistration(Guid.NewGuid(), ngo, 1, "2015-01-01", "2035-12-31", provinces);
        }

        return id;
    }

    /// <summary>The registry's project as of <paramref name="version"/>, in its JSON (provinces as given are their own current codes).</summary>
    public void SetProject(Guid id, Guid ngoId, int version, string status = "implementation", string approval = "approved", string startDate = "2015-01-01",
        string? endDate = null, string[]? provinces = null) =>
        Projects[id] = new
        {
            id, ngoId, status, startDate, endDate, version,
            locations = (provinces ?? Provinces).Select(p => new { provinceCode = p, currentProvinceCode = p, percentage = 100m / (provinces ?? Provinces).Length }),
            approval = new { state = approval, overdue = false },
        };

    /// <summary>A certificate as the registry answers it; interruptions as (kind, from, until exclusive or null).</summary>
    public Guid SetRegistration(Guid id, Guid ngoId, int version, string issuedOn, string expiresOn, string[] provinces, string status = "valid",
        params (string Kind, string From, string? Until)[] interruptions)
    {
        Registrations.GetOrAdd(ngoId, _ => new())[id] = new
        {
            id, ngoId, kind = "operation", certificateNumber = $"C-{id:N}", issuedOn, expiresOn, provinceCodes = provinces, currentProvinceCodes = provinces,
            sectorCategories = new[] { "121" }, status, version, interruptions = interruptions.Select(i => new { kind = i.Kind, from = i.From, until = i.Until }),
        };
        return id;
    }

    public static async Task<FakeRegistry> Start()
    {
        var fake = new FakeRegistry();
        fake.service = await FakeService.Start(app =>
        {
            app.MapGet("/api/v1/projects/{id:guid}", (Guid id) =>
                fake.Down ? Results.StatusCode(503) : fake.Projects.TryGetValue(id, out var project) ? Results.Json(project) : Results.NotFound());
            // Pages as the registry's list does, so a reader must follow them.
            app.MapGet("/api/v1/ngos/{id:guid}/registrations", (Guid id, int? page, int? pageSize) =>
            {
                if (fake.Down)
                {
                    return Results.StatusCode(503);
                }

                fake.RegistrationReads.AddOrUpdate(id, 1, (_, n) => n + 1);
                var all = fake.Registrations.TryGetValue(id, out var held) ? held.Values.ToList() : [];
                var (number, size) = (page ?? 1, Math.Min(pageSize ?? 50, 2));
                return Results.Json(new { items = all.Skip((number - 1) * size).Take(size), page = number, pageSize = size, total = all.Count });
            });
        });
        return fake;
    }

    public ValueTask DisposeAsync() => service.DisposeAsync();
}
