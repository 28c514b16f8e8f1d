using System.Reflection;
using System.Runtime.Serialization;
using System.Text;
using System.Text.Json;
using AidPlatform.Contract.Tests.Clients.Disbursement;
using AidPlatform.Contract.Tests.Clients.Registry;
using AidPlatform.Contract.Tests.Clients.Reporting;
using AidPlatform.Testing;
using DisbursementApiException = AidPlatform.Contract.Tests.Clients.Disbursement.ApiException;
using RegistryProblem = AidPlatform.Contract.Tests.Clients.Registry.ProblemDetails;
using RegistryValidationProblem = AidPlatform.Contract.Tests.Clients.Registry.ValidationProblemDetails;

namespace AidPlatform.Contract.Tests;

/// <summary>
/// The main flows of API.md, through the clients NSwag generated from the snapshots and nothing else, in order.
/// Bodies are written as the JSON the contract shows and read into the generated types, so they compile whether
/// a field is a string or a generated enum. A step today's document cannot express fails and names the gap:
/// the csproj compiles the real step in once the refreshed snapshots say it (CONTRACT_* symbols).
/// </summary>
[NonParallelizable]
[Order(1)]
public sealed class Flows_through_the_generated_clients
{
    private const decimal Largest = 999_999_999_999.99m;
    private RegistryClient registry = null!;
    private RegistryClient anonymousRegistry = null!;
    private DisbursementClient ministryLedger = null!;
    private DisbursementClient partnerLedger = null!;
    private ReportingClient reporting = null!;
    private ReportingClient anonymousReporting = null!;
    private Guid ngo;
    private Guid project;
    private Guid singleEntry;
    private decimal recordedUsd;

    [OneTimeSetUp]
    public void Make_the_clients()
    {
        registry = new RegistryClient(Services.Client("registry"));
        anonymousRegistry = new RegistryClient(Services.Client("registry", role: null));
        ministryLedger = new DisbursementClient(Services.Client("disbursement"));
        reporting = new ReportingClient(Services.Client("reporting"));
        anonymousReporting = new ReportingClient(Services.Client("reporting", role: null));
    }

    [Test, Order(1)]
    public async Task Reference_data_reads_anonymously()
    {
        var provinces = await anonymousRegistry.ListProvincesAsync();
        var former = await anonymousRegistry.ListFormerProvincesAsync();
        var sectors = await anonymousRegistry.ListSectorsAsync();

        Assert.That(provinces.Result, Has.Count.EqualTo(34));
        Assert.That(former.Result, Has.Count.EqualTo(63));
        Assert.That(former.Result.Select(f => f.CurrentCode), Is.All.Not.Empty);
        Assert.That(sectors.Result.Select(s => s.Code), Does.Contain("12220"));
    }

    [Test, Order(2)]
    public async Task An_ngo_is_registered_at_its_location()
    {
        var created = await registry.RegisterNgoAsync(Body<NgoRequest>(new { name = $"Fictitious Contract NGO {Guid.NewGuid():N}", countryOfOrigin = "SE" }));
        ngo = (Guid)created.Result.Id!;
        partnerLedger = new DisbursementClient(Services.Client("disbursement", "partner", ngo));

        Assert.That(created.StatusCode, Is.EqualTo(201));
        Assert.That(Header(created, "Location"), Does.EndWith($"/api/v1/ngos/{ngo}"));
        Assert.That((await registry.GetNgoAsync(ngo)).Result.Name, Is.EqualTo(created.Result.Name));
    }

    [Test, Order(3)]
    public async Task A_certificate_is_recorded_and_its_location_answers()
    {
        var certificate = $"CT-{Guid.NewGuid():N}";
        var recorded = await registry.RecordRegistrationAsync(ngo, Body<RegistrationRequest>(new
        {
            kind = "operation", certificateNumber = certificate, issuedOn = "2024-01-01", expiresOn = "2026-12-31",
            provinceCodes = new[] { "01", "79" }, sectorCategories = new[] { "122" },
        }));

        Assert.That(recorded.StatusCode, Is.EqualTo(201));
#if CONTRACT_GET_REGISTRATION
        var id = (Guid)recorded.Result.Id!;
        Assert.That(Header(recorded, "Location"), Does.EndWith($"/api/v1/registrations/{id}"));
        Assert.That((await registry.GetRegistrationAsync(id)).Result.CertificateNumber, Is.EqualTo(certificate));
#else
        Inexpressible("the registry document has no GetRegistration (GET /api/v1/registrations/{id}), so its Location cannot be followed");
#endif
    }

    [Test, Order(4)]
    public async Task A_project_is_registered_and_read_with_its_etag()
    {
        var created = await registry.RegisterProjectAsync(Project("Fictitious contract project"));
        project = (Guid)created.Result.Id!;
        var read = await registry.GetProjectAsync(project);

        Assert.That(created.StatusCode, Is.EqualTo(201));
        Assert.That(Header(created, "Location"), Does.EndWith($"/api/v1/projects/{project}"));
        Assert.That(read.Result.Title, Is.EqualTo("Fictitious contract project"));
        Assert.That(Header(read, "ETag"), Is.Not.Empty);
    }

    [Test, Order(5)]
    public async Task A_project_is_updated_with_if_match_its_etag()
    {
        var etag = Header(await registry.GetProjectAsync(project), "ETag");
#if CONTRACT_IF_MATCH
        var updated = await registry.UpdateProjectAsync(project, if_Match: etag, body: Project("Renamed contract project"));

        Assert.That(updated.Result.Title, Is.EqualTo("Renamed contract project"));
        Assert.That(Header(updated, "ETag"), Is.Not.Empty.And.Not.EqualTo(etag));
#else
        Assert.That(etag, Is.Not.Empty);
        Inexpressible("UpdateProject declares no If-Match header, so the generated method cannot send the ETag");
#endif
    }

    [Test, Order(6)]
    public async Task An_update_without_if_match_is_a_typed_428_problem()
    {
#if CONTRACT_IF_MATCH
        // The generated method requires the header: an empty one is the nearest a client comes to leaving it out.
        var refused = Assert.ThrowsAsync<Clients.Registry.ApiException<RegistryProblem>>(() => registry.UpdateProjectAsync(project, if_Match: "", body: Project("Unconditional")));

        Assert.That(refused!.StatusCode, Is.EqualTo(428));
        Assert.That(refused.Result.Status, Is.EqualTo(428));
#else
        await Task.CompletedTask;
        Inexpressible("UpdateProject declares neither If-Match nor 428");
#endif
    }

    [Test, Order(7)]
    public async Task Money_round_trips_exactly_as_decimal()
    {
        var amounts = new[] { Largest, 0.01m, 0.10m + 0.20m };
        var read = new List<decimal>();
        foreach (var amount in amounts)
        {
            var recorded = await partnerLedger.RecordDisbursementAsync(Entry(amount));
            singleEntry = (Guid)recorded.Result.Id!;
            read.Add((decimal)(await partnerLedger.GetDisbursementAsync(singleEntry)).Result.Amount!);
            recordedUsd += amount;
        }

        Assert.That(read, Is.EqualTo(amounts));
        Assert.That(new[] { typeof(DisbursementRequest), typeof(DisbursementDto), typeof(Summary) }.Select(MoneyType),
            Is.All.EqualTo(typeof(decimal)), "the documents type money as decimal, so generated clients never hold a double");
    }

    [Test, Order(8)]
    public async Task A_replayed_idempotency_key_answers_the_same_disbursement()
    {
#if CONTRACT_IDEMPOTENCY_KEY
        var key = Guid.NewGuid().ToString();
        var body = Entry(12.34m);
        var first = await partnerLedger.RecordDisbursementAsync(body, idempotency_Key: key);
        var replay = await partnerLedger.RecordDisbursementAsync(body, idempotency_Key: key);
        recordedUsd += 12.34m;

        Assert.That(replay.Result.Id, Is.EqualTo(first.Result.Id));
        Assert.That((await partnerLedger.ListDisbursementsAsync(projectId: project, pageSize: 500)).Result.Items!.Count(d => d.Reference == body.Reference), Is.EqualTo(1));
#else
        await Task.CompletedTask;
        Inexpressible("RecordDisbursement declares no Idempotency-Key header");
#endif
    }

    [Test, Order(9)]
    public async Task A_batch_records_every_item()
    {
        var batch = await ministryLedger.RecordDisbursementBatchAsync(body: [Entry(100m), Entry(200.05m)]);
        recordedUsd += 300.05m;

        Assert.That(batch.StatusCode, Is.EqualTo(201));
        Assert.That((int)batch.Result.Count!, Is.EqualTo(2));
        Assert.That(batch.Result.Ids, Has.Count.EqualTo(2));
    }

    [Test, Order(10)]
    public async Task A_csv_file_upload_is_imported_to_succeeded()
    {
        var csv = "projectId,type,amount,currency,valueDate,provinceCode,reference,description\n"
            + $"{project},disbursement,1.10,USD,2024-05-02,01,CT-{Guid.NewGuid():N},\n{project},disbursement,2.20,USD,2024-05-03,,CT-{Guid.NewGuid():N},\n";
#if CONTRACT_IMPORT_FILE
        using var file = new MemoryStream(Encoding.UTF8.GetBytes(csv));
        var started = await ministryLedger.StartDisbursementImportAsync(file: new FileParameter(file, "ledger.csv", "text/csv"));
        var id = (Guid)started.Result.Id!;
        ImportStatus? status = null;
        await Eventually.True(async () =>
        {
            status = (await ministryLedger.GetDisbursementImportAsync(id)).Result;
            return $"{status.Status}" is "succeeded" or "Succeeded" or "failed" or "Failed";
        }, "the import to finish", TimeSpan.FromSeconds(60));
        recordedUsd += 3.30m;

        Assert.That(started.StatusCode, Is.EqualTo(202));
        Assert.That(Header(started, "Location"), Does.EndWith($"/api/v1/disbursements/imports/{id}"));
        Assert.That($"{status!.Status}", Is.EqualTo("succeeded").IgnoreCase, JsonSerializer.Serialize(status.Errors));
        Assert.That((long)status.RowsDone!, Is.EqualTo(2));
#else
        Assert.That(csv, Does.StartWith("projectId,"));
        await Task.CompletedTask;
        Inexpressible("StartDisbursementImport takes no multipart `file` part, so the generated method takes no FileParameter");
#endif
    }

    [Test, Order(11)]
    public async Task A_reversal_is_a_negative_entry_and_marks_the_original()
    {
        var reversal = await ministryLedger.ReverseDisbursementAsync(singleEntry, body: Body<ReversalRequest>(new { reason = "contract test" }));
        var original = await ministryLedger.GetDisbursementAsync(singleEntry);
        recordedUsd -= 0.30m;

        Assert.That(reversal.StatusCode, Is.EqualTo(201));
        Assert.That((decimal)reversal.Result.Amount!, Is.EqualTo(-0.30m));
        Assert.That($"{original.Result.Status}", Is.EqualTo("reversed").IgnoreCase);
    }

    [Test, Order(12)]
    public async Task The_project_summary_eventually_totals_the_ledger_to_the_cent()
    {
#if CONTRACT_SUMMARY_BY_PROJECT
        Summary? summary = null;
        await Eventually.True(async () =>
        {
            summary = (await reporting.GetReportSummaryAsync(projectId: project)).Result;
            return (decimal)summary.DisbursedUsd! == recordedUsd;
        }, $"the project's summary to show {recordedUsd} disbursed", TimeSpan.FromSeconds(60));

        Assert.That((decimal)summary!.DisbursedUsd!, Is.EqualTo(recordedUsd));
#else
        await Task.CompletedTask;
        Inexpressible("GetReportSummary has no projectId (uuid) parameter");
#endif
    }

    [TestCase("province"), TestCase("sector"), TestCase("sectorCategory"), TestCase("ngo"), TestCase("country")]
    [TestCase("year"), TestCase("month"), TestCase("type"), TestCase("project")]
    [Order(13)]
    public async Task A_breakdown_as_json_sums_to_its_total(string by)
    {
#if CONTRACT_JSON_BREAKDOWN
        var breakdown = (await reporting.GetReportBreakdownAsync(by: Wire<BreakdownBy>(by))).Result;

        Assert.That($"{breakdown.By}", Is.EqualTo(by).IgnoreCase);
        Assert.That(breakdown.Rows!.Sum(r => (decimal)r.DisbursedUsd!), Is.EqualTo((decimal)breakdown.Total!.DisbursedUsd!));
        Assert.That((decimal)breakdown.Total.DisbursedUsd!, Is.GreaterThanOrEqualTo(recordedUsd));
#else
        await Task.CompletedTask;
        Inexpressible($"GetReportBreakdown (by={by}) answers no application/json schema");
#endif
    }

    [Test, Order(14)]
    public async Task Public_reports_answer_anonymously()
    {
        var summary = await anonymousReporting.GetPublicReportSummaryAsync();

        Assert.That(summary.StatusCode, Is.EqualTo(200));
        Assert.That((decimal)summary.Result.DisbursedUsd!, Is.GreaterThanOrEqualTo(Largest));
#if CONTRACT_JSON_BREAKDOWN
        var breakdown = (await anonymousReporting.GetPublicReportBreakdownAsync(by: Wire<PublicBreakdownBy>("province"))).Result;
        Assert.That(breakdown.Rows!.Sum(r => (decimal)r.DisbursedUsd!), Is.EqualTo((decimal)breakdown.Total!.DisbursedUsd!));
#else
        Inexpressible("GetPublicReportBreakdown answers no application/json schema");
#endif
    }

    [Test, Order(15)]
    public void A_422_surfaces_as_a_typed_validation_problem_keyed_by_field()
    {
        var body = Project("Percentages that do not add up", sectorPercentage: 90m);

        var refused = Assert.ThrowsAsync<Clients.Registry.ApiException<RegistryValidationProblem>>(() => registry.RegisterProjectAsync(body));

        Assert.That(refused!.StatusCode, Is.EqualTo(422));
        Assert.That(refused.Result.Errors!.Keys, Has.Some.StartsWith("sectors"));
    }

    [Test, Order(16)]
    public void A_404_surfaces_as_a_typed_problem()
    {
        var missing = Assert.ThrowsAsync<Clients.Registry.ApiException<RegistryProblem>>(() => registry.GetProjectAsync(Guid.NewGuid()));

        Assert.That(missing!.StatusCode, Is.EqualTo(404));
        Assert.That(missing.Result.Status, Is.EqualTo(404));
    }

    [Test, Order(17)]
    public void A_disbursement_for_an_unknown_project_is_a_typed_422()
    {
        var body = Entry(1m);
        body.ProjectId = Guid.NewGuid();

        var refused = Assert.ThrowsAsync(Is.InstanceOf<DisbursementApiException>(), () => partnerLedger.RecordDisbursementAsync(body));

        Assert.That(((DisbursementApiException)refused!).StatusCode, Is.EqualTo(422));
        Assert.That(refused.GetType().IsGenericType, Is.True, "the 422 is declared with a problem schema, so the client reads it typed");
    }

    private static void Inexpressible(string why) =>
        Assert.Fail($"Inexpressible through the generated client: {why}. Once the service documents it, run tests/contract-refresh.");

    /// <summary>A generated request type read from the JSON the contract shows.</summary>
    private static T Body<T>(object json) =>
        JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(json, JsonSerializerOptions.Web), JsonSerializerOptions.Web)!;

    private ProjectRequest Project(string title, decimal sectorPercentage = 100m) => Body<ProjectRequest>(new
    {
        ngoId = ngo, title, status = "implementation", startDate = "2024-02-01", endDate = "2026-06-30",
        budget = new { amount = Largest, currency = "USD" },
        sectors = new[] { new { code = "12220", percentage = sectorPercentage } },
        locations = new[] { new { provinceCode = "01", percentage = 60m }, new { provinceCode = "79", percentage = 40m } },
    });

    private DisbursementRequest Entry(decimal amount) => Body<DisbursementRequest>(new
    {
        projectId = project, type = "disbursement", amount, currency = "USD", valueDate = "2024-05-01", reference = $"CT-{Guid.NewGuid():N}",
    });

    private static string Header(Clients.Registry.ApiResponse response, string name) => Header(response.Headers, name);

    private static string Header(Clients.Disbursement.ApiResponse response, string name) => Header(response.Headers, name);

    private static string Header(IReadOnlyDictionary<string, IEnumerable<string>> headers, string name) =>
        headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault() ?? "";

    private static System.Type MoneyType(System.Type dto)
    {
        var property = dto.GetProperty("Amount") ?? dto.GetProperty("DisbursedUsd")!;
        return Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
    }

    /// <summary>A query value as the generated client types it: the string itself, or the enum member whose wire value it is.</summary>
    private static T Wire<T>(string value) => typeof(T) == typeof(string) ? (T)(object)value
        : (T)typeof(T).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Single(f => f.GetCustomAttribute<EnumMemberAttribute>()?.Value == value).GetValue(null)!;
}
