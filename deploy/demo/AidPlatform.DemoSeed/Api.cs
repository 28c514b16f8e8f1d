using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace AidPlatform.DemoSeed;

/// <summary>POSTs with an Idempotency-Key derived from the generated data, so that a second run replays instead of duplicating.</summary>
internal static class Api
{
    /// <summary>A ministry token from AIDP_TOKEN (deploy/local/seed-demo mints one with deploy/local/token).</summary>
    public static void Authorize(HttpClient client) =>
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
            Environment.GetEnvironmentVariable("AIDP_TOKEN") ?? throw new InvalidOperationException("Set AIDP_TOKEN to a ministry token."));

    public static async Task<JsonElement> Post(HttpClient client, string path, object body, string idempotencyKey)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
            request.Headers.Add("Idempotency-Key", idempotencyKey);
            using var response = await client.SendAsync(request);
            if (response.IsSuccessStatusCode)
            {
                return await response.Content.ReadFromJsonAsync<JsonElement>();
            }

            // Over this caller's rate limit: wait as long as the service asks.
            if (attempt < 10 && response.StatusCode is HttpStatusCode.TooManyRequests)
            {
                await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
                continue;
            }

            // A dependency still starting (503) or the key's first request still running (409): wait and retry.
            if (attempt < 10 && response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.Conflict)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500 * attempt));
                continue;
            }

            throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }
}
