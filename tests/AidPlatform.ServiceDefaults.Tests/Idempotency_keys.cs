using System.Net;
using System.Net.Http.Json;
using AidPlatform.ServiceDefaults.Tests.Infrastructure;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Npgsql;

namespace AidPlatform.ServiceDefaults.Tests;

public sealed class Idempotency_keys
{
    private TestService service = null!;

    public sealed record WidgetRequest(string Name);

    [OneTimeSetUp]
    public async Task Start() => service = await TestService.Start(new TestService.Options
    {
        Endpoints = app => app.MapPost("/api/v1/widgets", async (WidgetRequest request, NpgsqlDataSource db) =>
        {
            var id = Guid.NewGuid();
            await using var connection = await db.OpenConnectionAsync();
            await connection.ExecuteAsync("insert into widgets (id, name) values (@id, @Name)", new { id, request.Name });
            return TypedResults.Created($"/api/v1/widgets/{id}", new { id, request.Name });
        }),
    });

    [OneTimeTearDown]
    public async Task Stop() => await service.DisposeAsync();

    [Test]
    public async Task The_same_key_and_body_replay_the_first_response_without_a_second_write()
    {
        var name = Guid.NewGuid().ToString();
        var key = Guid.NewGuid().ToString();

        var first = await Post(key, name);
        var second = await Post(key, name);

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(second.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(await second.Content.ReadAsStringAsync(), Is.EqualTo(await first.Content.ReadAsStringAsync()));
        Assert.That(second.Headers.Location, Is.EqualTo(first.Headers.Location));
        Assert.That(second.Headers.GetValues("Idempotent-Replayed"), Is.EqualTo(new[] { "true" }));
        Assert.That(await Count(name), Is.EqualTo(1));
    }

    [Test]
    public async Task The_same_key_with_another_body_is_a_422_and_writes_nothing()
    {
        var key = Guid.NewGuid().ToString();
        var other = Guid.NewGuid().ToString();

        await Post(key, Guid.NewGuid().ToString());
        var response = await Post(key, other);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.UnprocessableEntity));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        Assert.That(await Count(other), Is.Zero);
    }

    [Test]
    public async Task A_claim_whose_request_never_completed_lapses_after_its_lease()
    {
        var (fresh, abandoned) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        await Post(fresh, fresh);
        await Post(abandoned, abandoned);
        // As a process killed mid-request leaves them: claimed, never completed; one now, one a minute ago.
        await using (var connection = await service.OpenSchemaConnection())
        {
            await connection.ExecuteAsync("""
                update idempotency_keys set status_code = null, body = null, completed_at = null,
                    created_at = case when key = @abandoned then now() - interval '1 minute' else now() end
                where key in (@fresh, @abandoned)
                """, new { fresh, abandoned });
        }

        var stillRunning = await Post(fresh, fresh);
        var retried = await Post(abandoned, abandoned);

        Assert.That(stillRunning.StatusCode, Is.EqualTo(HttpStatusCode.Conflict));
        Assert.That(retried.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(await Count(abandoned), Is.EqualTo(2), "the retry ran; the endpoint's own constraints guard against a second row");
        Assert.That((await Post(abandoned, abandoned)).Headers.Contains("Idempotent-Replayed"), Is.True, "and its response is stored");
    }

    [Test]
    public async Task Without_a_key_each_post_writes()
    {
        var name = Guid.NewGuid().ToString();

        await service.Client.PostAsJsonAsync("/api/v1/widgets", new WidgetRequest(name));
        await service.Client.PostAsJsonAsync("/api/v1/widgets", new WidgetRequest(name));

        Assert.That(await Count(name), Is.EqualTo(2));
    }

    private async Task<HttpResponseMessage> Post(string key, string name)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/widgets") { Content = JsonContent.Create(new WidgetRequest(name)) };
        request.Headers.Add("Idempotency-Key", key);
        return await service.Client.SendAsync(request);
    }

    private async Task<long> Count(string name)
    {
        await using var connection = await service.OpenSchemaConnection();
        return await connection.ExecuteScalarAsync<long>("select count(*) from widgets where name = @name", new { name });
    }
}
