using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AidPlatform.ServiceDefaults.Errors;
using AidPlatform.ServiceDefaults.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AidPlatform.ServiceDefaults.Tests;

public sealed class Problem_details
{
    private TestService service = null!;

    public sealed record GadgetRequest(string Name, int Size);

    [OneTimeSetUp]
    public async Task Start() => service = await TestService.Start(new TestService.Options
    {
        Endpoints = app =>
        {
            app.MapPost("/api/v1/gadgets", (GadgetRequest request) => TypedResults.Ok(request));
            app.MapGet("/api/v1/gadgets", (int page) => TypedResults.Ok(page));
            app.MapGet("/api/v1/boom", string () => throw new InvalidOperationException("connection string Password=hunter2"));
            app.MapGet("/api/v1/conflict", string () => throw new ConflictException("Certificate 12/BNG is already recorded."));
        },
    });

    [OneTimeTearDown]
    public async Task Stop() => await service.DisposeAsync();

    [Test]
    public async Task A_wrong_type_in_the_body_is_a_400_naming_the_field()
    {
        var response = await service.Client.PostAsync("/api/v1/gadgets", Json("""{ "name": "x", "size": "big" }"""));

        var problem = await Problem(response, HttpStatusCode.BadRequest);
        Assert.That(problem.GetProperty("errors").TryGetProperty("size", out _), Is.True, problem.ToString());
    }

    [Test]
    public async Task Truncated_json_is_a_400()
    {
        var response = await service.Client.PostAsync("/api/v1/gadgets", Json("""{ "name": "x", "si"""));

        await Problem(response, HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task A_bad_query_value_is_a_400()
    {
        var response = await service.Client.GetAsync("/api/v1/gadgets?page=first");

        await Problem(response, HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task An_unknown_route_is_a_404_problem()
    {
        var response = await service.Client.GetAsync("/api/v1/nothing-here");

        await Problem(response, HttpStatusCode.NotFound);
    }

    [Test]
    public async Task A_domain_conflict_is_a_409_with_its_detail()
    {
        var response = await service.Client.GetAsync("/api/v1/conflict");

        var problem = await Problem(response, HttpStatusCode.Conflict);
        Assert.That(problem.GetProperty("detail").GetString(), Is.EqualTo("Certificate 12/BNG is already recorded."));
    }

    [Test]
    public async Task An_unhandled_exception_is_a_500_without_stack_or_message()
    {
        var response = await service.Client.GetAsync("/api/v1/boom");

        var problem = await Problem(response, HttpStatusCode.InternalServerError);
        var text = problem.ToString();
        Assert.That(text, Does.Not.Contain("hunter2"));
        Assert.That(text, Does.Not.Contain("InvalidOperationException"));
        Assert.That(text, Does.Not.Contain(" at "));
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>Asserts the RFC 9457 shape and returns the document.</summary>
    private static async Task<JsonElement> Problem(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.That(response.StatusCode, Is.EqualTo(status), await response.Content.ReadAsStringAsync());
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Multiple(() =>
        {
            Assert.That(problem.GetProperty("status").GetInt32(), Is.EqualTo((int)status));
            Assert.That(problem.GetProperty("title").GetString(), Is.Not.Empty);
            Assert.That(problem.TryGetProperty("type", out _), Is.True);
            Assert.That(problem.GetProperty("traceId").GetString(), Is.Not.Empty);
        });
        return problem;
    }
}
