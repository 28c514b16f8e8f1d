using System.Net;
using System.Net.Http.Json;
using AidPlatform.Disbursement.Api.Domain;
using AidPlatform.ServiceDefaults.Errors;

namespace AidPlatform.Disbursement.Api.Data;

/// <summary>The registry over HTTP, behind a resilience pipeline (see DisbursementServiceExtensions).</summary>
public sealed class RegistryClient(HttpClient http)
{
    /// <summary>The project, or null when the registry says it does not exist; 503 when the registry cannot answer.</summary>
    public async Task<ProjectInfo?> GetProject(Guid id, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.GetAsync($"/api/v1/projects/{id}", cancellationToken);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return null;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new DependencyUnavailableException($"The registry answered {(int)response.StatusCode} for project {id}; nothing was written.");
            }

            return await response.Content.ReadFromJsonAsync<ProjectInfo>(cancellationToken)
                ?? throw new DependencyUnavailableException($"The registry sent an empty answer for project {id}.");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or TimeoutException or Polly.CircuitBreaker.BrokenCircuitException or System.Text.Json.JsonException)
        {
            throw new DependencyUnavailableException($"The registry cannot be reached to check project {id}; nothing was written. Retry later.");
        }
    }
}
