using System.Net;
using System.Net.Http.Json;
using AidPlatform.Disbursement.Api.Domain;
using AidPlatform.ServiceDefaults.Errors;

namespace AidPlatform.Disbursement.Api.Data;

/// <summary>
/// The registry over HTTP, behind a resilience pipeline (see DisbursementServiceExtensions). Reads both the
/// registry's answers from before approvals and certificate changes existed (no <c>approval</c>: approved; no
/// <c>status</c>, <c>version</c> or <c>interruptions</c>: valid, version 1, never interrupted) and those after.
/// </summary>
public sealed class RegistryClient(HttpClient http)
{
    private const int PageSize = 500;

    /// <summary>The project, or null when the registry says it does not exist; 503 when the registry cannot answer.</summary>
    public async Task<ProjectInfo?> GetProject(Guid id, CancellationToken cancellationToken)
    {
        var project = await Get<ProjectJson>($"/api/v1/projects/{id}", $"project {id}", cancellationToken);
        return project?.ToInfo();
    }

    /// <summary>All the NGO's certificates (every page); none when the registry does not know the NGO; 503 when it cannot answer.</summary>
    public async Task<IReadOnlyList<CertificateInfo>> GetCertificates(Guid ngoId, CancellationToken cancellationToken)
    {
        var certificates = new List<CertificateInfo>();
        for (var page = 1; ; page++)
        {
            var read = await Get<PageJson>($"/api/v1/ngos/{ngoId}/registrations?page={page}&pageSize={PageSize}", $"NGO {ngoId}'s certificates", cancellationToken);
            if (read is null)
            {
                return certificates;
            }

            certificates.AddRange(read.Items.Select(r => r.ToInfo(ngoId)));
            if (read.Items.Count == 0 || certificates.Count >= read.Total)
            {
                return certificates;
            }
        }
    }

    private async Task<T?> Get<T>(string path, string what, CancellationToken cancellationToken)
        where T : class
    {
        try
        {
            using var response = await http.GetAsync(path, cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new DependencyUnavailableException($"The registry answered {(int)response.StatusCode} for {what}; nothing was written.");
            }

            return await response.Content.ReadFromJsonAsync<T>(cancellationToken)
                ?? throw new DependencyUnavailableException($"The registry sent an empty answer for {what}.");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or TimeoutException or Polly.CircuitBreaker.BrokenCircuitException or System.Text.Json.JsonException)
        {
            throw new DependencyUnavailableException($"The registry cannot be reached to check {what}; nothing was written. Retry later.");
        }
    }

    private sealed record ProjectJson(Guid Id, Guid NgoId, string Status, DateOnly StartDate, DateOnly? EndDate, int Version,
        List<LocationJson>? Locations, ApprovalJson? Approval)
    {
        public ProjectInfo ToInfo() => new(Id, NgoId, Status, StartDate, EndDate, Version, Approval?.State ?? "approved",
            (Locations ?? []).Select(l => l.CurrentProvinceCode ?? l.ProvinceCode).OfType<string>().Distinct().ToArray());
    }

    private sealed record LocationJson(string? ProvinceCode, string? CurrentProvinceCode);

    private sealed record ApprovalJson(string? State);

    private sealed record PageJson(List<RegistrationJson> Items, long Total);

    private sealed record RegistrationJson(Guid Id, Guid? NgoId, DateOnly IssuedOn, DateOnly ExpiresOn, List<string>? ProvinceCodes,
        List<string>? CurrentProvinceCodes, string? Status, int? Version, List<InterruptionJson>? Interruptions)
    {
        public CertificateInfo ToInfo(Guid ngoId)
        {
            var status = Status ?? "valid";
            List<CertificateGap> gaps = Interruptions is { } given
                ? given.ConvertAll(i => new CertificateGap(i.Kind ?? "suspension", i.From, i.Until))
                // A status without its interruptions (an answer half-way through an upgrade): not valid from issue on.
                : status is "suspended" or "revoked" ? [new CertificateGap(status == "revoked" ? "revocation" : "suspension", IssuedOn, null)] : [];
            return new(Id, NgoId ?? ngoId, Version ?? 1, IssuedOn, ExpiresOn, status, CurrentProvinceCodes ?? ProvinceCodes ?? [], gaps);
        }
    }

    private sealed record InterruptionJson(string? Kind, DateOnly From, DateOnly? Until);
}
