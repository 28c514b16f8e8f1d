using System.Net.Http.Json;
using System.Text.Json;
using AidPlatform.ServiceDefaults.Security;

namespace AidPlatform.DemoSeed;

/// <summary>
/// A realistic spread of approval states: the 1,500 projects were registered by the ministry (approved, and in
/// implementation once the ledger disbursed), and here 48 NGOs submit new dossiers on line, which the ministry
/// takes to every stage of the table: draft, submitted, under appraisal, appraised, approved by a second official,
/// refused, withdrawn, and returned for a missing annex. A rerun finds each dossier past its first step and leaves it.
/// Three NGOs have their current certificate suspended, which suspends their projects (the registry's cascade).
/// </summary>
internal static class ApprovalSeed
{
    private const int Dossiers = 48;

    // Each dossier's path through the table (API.md "Approval of aid projects"), by whom.
    private static readonly (string Action, string Who)[][] Paths =
    [
        [],
        [("submit", "partner")],
        [("submit", "partner"), ("start-appraisal", "appraiser")],
        [("submit", "partner"), ("start-appraisal", "appraiser"), ("conclude", "appraiser")],
        [("submit", "partner"), ("start-appraisal", "appraiser"), ("conclude", "appraiser"), ("approve", "director")],
        [("submit", "partner"), ("start-appraisal", "appraiser"), ("conclude", "appraiser"), ("refuse", "director")],
        [("submit", "partner"), ("withdraw", "partner")],
        [("submit", "partner"), ("return", "appraiser")],
    ];

    public static async Task<Dictionary<string, int>> Run(Uri registry, IReadOnlyList<SeededProject> projects)
    {
        var auth = new AuthOptions
        {
            SigningKey = Environment.GetEnvironmentVariable("AIDP_JWT_SIGNING_KEY") ?? throw new InvalidOperationException("Set AIDP_JWT_SIGNING_KEY to mint partner tokens."),
        };
        using var appraiser = Client(registry, Tokens.Issue(auth, "demo-appraiser", Roles.Ministry));
        using var director = Client(registry, Tokens.Issue(auth, "demo-director", Roles.Ministry));
        var states = new Dictionary<string, int>();
        var ngos = projects.Select(p => p.NgoId).Distinct().Take(Dossiers).ToList();
        for (var i = 0; i < ngos.Count; i++)
        {
            var ngo = ngos[i];
            using var partner = Client(registry, Tokens.Issue(auth, $"demo-partner-{i}", Roles.Partner, ngo));
            var model = projects.First(p => p.NgoId == ngo);
            var locations = (await appraiser.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{model.Id}")).GetProperty("locations")
                .EnumerateArray().Select(l => l.GetProperty("provinceCode").GetString()!).ToArray();
            var dossier = await Api.Post(partner, "/api/v1/projects", new
            {
                ngoId = ngo,
                title = $"Community resilience phase {i + 2} (dossier {i + 1:00}, fictitious)",
                status = "pipeline",
                startDate = "2027-03-01",
                endDate = "2028-12-30",
                budget = new { amount = 150_000m + 5_000m * i, currency = "USD" },
                sectors = new[] { new { code = "43060", percentage = 100m } },
                locations = new[] { new { provinceCode = locations[0], percentage = 100m } },
            }, $"demo-dossier-{i}");
            var id = dossier.GetProperty("id").GetGuid();
            var history = await appraiser.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{id}/approval/history");
            var state = dossier.GetProperty("approval").GetProperty("state").GetString()!;
            if (history.GetProperty("total").GetInt64() == 1)
            {
                foreach (var (action, who) in Paths[i % Paths.Length])
                {
                    var client = who switch { "partner" => partner, "appraiser" => appraiser, _ => director };
                    var approval = await Act(client, id, action, action switch
                    {
                        "approve" => new { decision = new { number = $"{100 + i}/QD-DEMO", date = "2026-11-16", authority = "Ministry of Finance (fictitious)" } },
                        "return" => (object)new { reason = "The budget annex is missing; please add it and submit again." },
                        "refuse" => new { reason = "Duplicates a project already approved in the same province and sector." },
                        _ => new { },
                    });
                    state = approval.GetProperty("state").GetString()!;
                }
            }
            else
            {
                state = (await appraiser.GetFromJsonAsync<JsonElement>($"/api/v1/projects/{id}")).GetProperty("approval").GetProperty("state").GetString()!;
            }

            states[state] = states.GetValueOrDefault(state) + 1;
        }

        foreach (var ngo in SuspendedNgos.Select(i => projects.Select(p => p.NgoId).Distinct().ElementAt(i)))
        {
            var current = (await appraiser.GetFromJsonAsync<JsonElement>($"/api/v1/ngos/{ngo}/registrations")).GetProperty("items").EnumerateArray()
                .OrderByDescending(r => r.GetProperty("expiresOn").GetString(), StringComparer.Ordinal).First();
            if (current.GetProperty("status").GetString() == "valid")
            {
                var id = current.GetProperty("id").GetGuid();
                using var response = await director.PostAsJsonAsync($"/api/v1/registrations/{id}/suspend",
                    new { reason = "Annual report overdue (fictitious demo).", effectiveOn = "2026-11-16" });
                _ = response.IsSuccessStatusCode ? response : throw new InvalidOperationException($"suspend {id} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            }
        }

        return states;
    }

    /// <summary>The NGOs (by their order in the seed) whose current certificate is suspended.</summary>
    private static readonly int[] SuspendedNgos = [101, 202, 303];

    private static HttpClient Client(Uri baseAddress, string token)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(2) };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<JsonElement> Act(HttpClient client, Guid project, string action, object body)
    {
        using var response = await client.PostAsJsonAsync($"/api/v1/projects/{project}/approval/{action}", body);
        return response.IsSuccessStatusCode
            ? await response.Content.ReadFromJsonAsync<JsonElement>()
            : throw new InvalidOperationException($"{action} on {project} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
