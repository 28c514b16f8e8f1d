using System.ComponentModel.DataAnnotations;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AidPlatform.ServiceDefaults.Http;
using AidPlatform.ServiceDefaults.Tests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace AidPlatform.ServiceDefaults.Tests;

/// <summary>
/// The conventions of API.md v1.1 "Fidelity" that ServiceDefaults gives every endpoint without code of its
/// own: strict query strings, PUT preconditions, content negotiation, canonical idempotency, messages in
/// the API's words. The endpoints here declare only their parameters and results, as a service's do.
/// </summary>
public sealed class Contract_conventions
{
    private TestService service = null!;
    private int version = 1;

    public sealed record Shipment([property: Required] DateOnly? ShippedOn, decimal? Weight, List<Parcel>? Parcels);

    public sealed record Parcel(Guid? Id, int Count);

    [OneTimeSetUp]
    public async Task Start() => service = await TestService.Start(new TestService.Options
    {
        Endpoints = app =>
        {
            app.MapGet("/api/v1/things", (DateOnly? from, Guid? ngoId, int? pageSize, [AllowedValues("red", "blue")] string? colour) =>
                TypedResults.Ok(new { from, ngoId, pageSize, colour }));
            app.MapGet("/api/v1/things/grouped", (string? by, [AllowedValues("ripe", "green"), OnlyWith("by", "fruit")] string? ripeness) =>
                TypedResults.Ok(new { by, ripeness }));
            app.MapGet("/api/v1/things/table", (HttpRequest request) => ContentNegotiation.Prefers(request, "text/csv")
                    ? Results.Text("a,b\n1,2\n", "text/csv")
                    : Results.Ok(new { a = 1, b = 2 }))
                .Produces<object>(200, "application/json").Produces<string>(200, "text/csv");
            app.MapPut("/api/v1/things/{id}", (string id, HttpRequest request, HttpResponse response) =>
            {
                ETags.Check(request, version);
                response.Headers.ETag = ETags.For(++version);
                return TypedResults.Ok(new { id });
            });
            app.MapPut("/api/v1/rates/{month}", (string month) => TypedResults.Ok(new { month })).CreatesOnPut();
            app.MapPost("/api/v1/shipments", async (Shipment shipment, NpgsqlDataSource db) =>
            {
                var id = Guid.NewGuid();
                await using var connection = await db.OpenConnectionAsync();
                await connection.ExecuteAsync("insert into widgets (id, name) values (@id, 'shipment')", new { id });
                return TypedResults.Created($"/api/v1/shipments/{id}", new { id, shipment.Weight });
            });
            app.MapPost("/api/v1/shipments/batch", (List<Shipment> shipments) => TypedResults.Ok(shipments.Count));
        },
    });

    [OneTimeTearDown]
    public async Task Stop() => await service.DisposeAsync();

    [Test]
    public async Task An_unknown_query_parameter_is_a_400_naming_it()
    {
        var problem = await Problem(await service.Client.GetAsync("/api/v1/things?from=2024-01-01&bogus=1&projectId=x"), HttpStatusCode.BadRequest);

        Assert.That(Errors(problem), Is.EquivalentTo(new Dictionary<string, string[]> { ["bogus"] = ["unknown parameter"], ["projectId"] = ["unknown parameter"] }));
    }

    [Test]
    public async Task Query_values_that_do_not_parse_are_a_400_in_the_apis_words()
    {
        var problem = await Problem(await service.Client.GetAsync("/api/v1/things?from=2024-13-01&ngoId=abc&pageSize=ten"), HttpStatusCode.BadRequest);

        Assert.That(Errors(problem), Is.EquivalentTo(new Dictionary<string, string[]>
        {
            ["from"] = ["expected a date YYYY-MM-DD"], ["ngoId"] = ["expected a UUID"], ["pageSize"] = ["expected an integer"],
        }));
    }

    [Test]
    public async Task A_value_outside_the_enumeration_is_a_422_listing_the_allowed_ones()
    {
        var problem = await Problem(await service.Client.GetAsync("/api/v1/things?colour=green"), HttpStatusCode.UnprocessableEntity);

        Assert.That(Errors(problem)["colour"], Is.EqualTo(new[] { "must be one of red, blue" }));
        Assert.That((await service.Client.GetAsync("/api/v1/things?colour=blue&from=2024-01-31")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_parameter_of_one_variant_is_unknown_beside_any_other_even_with_a_value_outside_its_enumeration()
    {
        var beside = await Problem(await service.Client.GetAsync("/api/v1/things/grouped?by=veg&ripeness=ripe"), HttpStatusCode.BadRequest);
        var invalidBeside = await Problem(await service.Client.GetAsync("/api/v1/things/grouped?by=veg&ripeness=purple"), HttpStatusCode.BadRequest);
        var alone = await Problem(await service.Client.GetAsync("/api/v1/things/grouped?ripeness=ripe"), HttpStatusCode.BadRequest);
        var invalid = await Problem(await service.Client.GetAsync("/api/v1/things/grouped?by=fruit&ripeness=purple"), HttpStatusCode.UnprocessableEntity);

        Assert.That(Errors(beside)["ripeness"], Is.EqualTo(new[] { "unknown parameter (only with by=fruit)" }));
        Assert.That(Errors(invalidBeside).Keys, Is.EqualTo(new[] { "ripeness" }));
        Assert.That(Errors(alone).Keys, Is.EqualTo(new[] { "ripeness" }));
        Assert.That(Errors(invalid)["ripeness"], Is.EqualTo(new[] { "must be one of ripe, green" }));
        Assert.That((await service.Client.GetAsync("/api/v1/things/grouped?by=fruit&ripeness=green")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public async Task A_put_that_updates_needs_a_strong_current_if_match()
    {
        await Problem(await Put("/api/v1/things/a", null), HttpStatusCode.PreconditionRequired);
        await Problem(await Put("/api/v1/things/a", $"W/\"{version}\""), HttpStatusCode.PreconditionFailed);
        await Problem(await Put("/api/v1/things/a", "\"not-ours\""), HttpStatusCode.PreconditionFailed);
        await Problem(await Put("/api/v1/things/a", $"\"{version + 5}\""), HttpStatusCode.PreconditionFailed);

        var accepted = await Put("/api/v1/things/a", $"\"{version}\"");

        Assert.That(accepted.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(accepted.Headers.ETag?.Tag, Is.EqualTo($"\"{version}\""));
    }

    [Test]
    public async Task A_put_that_may_create_needs_no_if_match_and_if_none_match_takes_only_a_star()
    {
        Assert.That((await Put("/api/v1/rates/2024-01", null)).StatusCode, Is.EqualTo(HttpStatusCode.OK));

        using var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/rates/2024-01") { Content = JsonContent.Create(new { }) };
        request.Headers.TryAddWithoutValidation("If-None-Match", "\"3\"");
        await Problem(await service.Client.SendAsync(request), HttpStatusCode.PreconditionFailed);
    }

    [Test]
    public async Task Accept_q_values_choose_the_answer_and_an_unanswerable_accept_is_a_406_problem()
    {
        var csv = await Get("/api/v1/things/table", "text/csv;q=1, application/json;q=0.5");
        var json = await Get("/api/v1/things/table", "text/csv;q=0.2, application/json");
        var none = await Get("/api/v1/things/table", "image/png");

        Assert.That(csv.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/csv"));
        Assert.That(json.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/json"));
        await Problem(none, HttpStatusCode.NotAcceptable);
    }

    [Test]
    public async Task An_error_is_problem_json_whatever_accept_says()
    {
        var response = await Get("/api/v1/things/table?bogus=1", "text/csv");

        await Problem(response, HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task The_same_body_spelled_differently_replays_under_one_idempotency_key()
    {
        var key = Guid.NewGuid().ToString();
        var first = await Post("/api/v1/shipments", key, """{ "shippedOn": "2024-05-01", "weight": 1.50, "parcels": [] }""");
        var second = await Post("/api/v1/shipments", key, """{"parcels":[],"weight":1.5,  "shippedOn":"2024-05-01"}""");
        var other = await Post("/api/v1/shipments", key, """{ "shippedOn": "2024-05-01", "weight": 1.51, "parcels": [] }""");

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(second.Headers.GetValues("Idempotent-Replayed"), Is.EqualTo(new[] { "true" }));
        Assert.That(await second.Content.ReadAsStringAsync(), Is.EqualTo(await first.Content.ReadAsStringAsync()));
        await Problem(other, HttpStatusCode.UnprocessableEntity);
    }

    [Test]
    public async Task A_malformed_body_names_the_field_and_what_was_expected()
    {
        var date = await Problem(await Post("/api/v1/shipments", null, """{ "shippedOn": "1 May 2024" }"""), HttpStatusCode.BadRequest);
        var nested = await Problem(await Post("/api/v1/shipments", null, """{ "shippedOn": "2024-05-01", "parcels": [{ "count": 1 }, { "id": "nope" }] }"""), HttpStatusCode.BadRequest);
        var batch = await Problem(await Post("/api/v1/shipments/batch", null, """[{ "shippedOn": "2024-05-01" }, { "weight": "heavy" }]"""), HttpStatusCode.BadRequest);

        Assert.That(Errors(date), Is.EquivalentTo(new Dictionary<string, string[]> { ["shippedOn"] = ["expected a date YYYY-MM-DD"] }));
        Assert.That(Errors(nested), Is.EquivalentTo(new Dictionary<string, string[]> { ["parcels[1].id"] = ["expected a UUID"] }));
        Assert.That(Errors(batch), Is.EquivalentTo(new Dictionary<string, string[]> { ["[1].weight"] = ["expected a number"] }));
        Assert.That(date.ToString() + nested + batch, Does.Not.Contain("$.").And.Not.Contain("System."));
    }

    private async Task<HttpResponseMessage> Put(string path, string? ifMatch)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(new { }) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        return await service.Client.SendAsync(request);
    }

    private async Task<HttpResponseMessage> Get(string path, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.TryAddWithoutValidation("Accept", accept);
        return await service.Client.SendAsync(request);
    }

    private async Task<HttpResponseMessage> Post(string path, string? key, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return await service.Client.SendAsync(request);
    }

    private static Dictionary<string, string[]> Errors(JsonElement problem) =>
        problem.GetProperty("errors").Deserialize<Dictionary<string, string[]>>()!;

    private static async Task<JsonElement> Problem(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.That(response.StatusCode, Is.EqualTo(status), await response.Content.ReadAsStringAsync());
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
