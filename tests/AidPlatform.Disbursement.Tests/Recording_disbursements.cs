using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AidPlatform.Disbursement.Api.Data;
using AidPlatform.Disbursement.Api.Domain;
using AidPlatform.Testing;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AidPlatform.Disbursement.Tests;

public sealed class Recording_disbursements : DisbursementSpecs
{
    [Test]
    public async Task A_disbursement_is_recorded_in_usd_at_its_months_rate_with_the_projects_ngo()
    {
        var ngo = Guid.NewGuid();
        var project = Registry.AddProject(ngo);

        var response = await Post(new { projectId = project, amount = 1000.00m, currency = "EUR", valueDate = "2024-03-15", reference = Ref(), ngoId = Guid.NewGuid(), amountUsd = 1m });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var rate = await Rate("EUR", "2024-03");
        Assert.Multiple(() =>
        {
            Assert.That(response.Headers.Location!.ToString(), Is.EqualTo($"/api/v1/disbursements/{body.GetProperty("id").GetGuid()}"));
            Assert.That(body.GetProperty("ngoId").GetGuid(), Is.EqualTo(ngo), "ngoId comes from the project, never the body");
            Assert.That(body.GetProperty("type").GetString(), Is.EqualTo("disbursement"));
            Assert.That(body.GetProperty("fxRate").GetDecimal(), Is.EqualTo(rate));
            Assert.That(body.GetProperty("fxRateMonth").GetString(), Is.EqualTo("2024-03"));
            Assert.That(body.GetProperty("amountUsd").GetDecimal(), Is.EqualTo(Math.Round(1000.00m / rate, 2, MidpointRounding.AwayFromZero)));
            Assert.That(body.GetProperty("status").GetString(), Is.EqualTo("recorded"));
        });
    }

    [Test]
    public async Task A_month_without_a_rate_falls_back_to_the_latest_of_the_three_before()
    {
        var project = Registry.AddProject();

        // VND has no published rate for 2025-08: 2025-07's applies.
        var body = await Created(new { projectId = project, amount = 25_000_000m, currency = "VND", valueDate = "2025-08-20", reference = Ref() });

        Assert.That(body.GetProperty("fxRateMonth").GetString(), Is.EqualTo("2025-07"));
        Assert.That(body.GetProperty("fxRate").GetDecimal(), Is.EqualTo(await Rate("VND", "2025-07")));
    }

    [Test]
    public async Task No_rate_within_three_months_is_a_422()
    {
        var response = await Post(new { projectId = Registry.AddProject(), amount = 1_000_000m, currency = "VND", valueDate = "2026-05-10", reference = Ref() });

        await Problem(response, HttpStatusCode.UnprocessableEntity, "currency");
    }

    [Test]
    public async Task A_changed_rate_never_rewrites_recorded_rows()
    {
        var project = Registry.AddProject();
        var before = await Created(new { projectId = project, amount = 500.00m, currency = "GBP", valueDate = "2023-06-10", reference = Ref() });
        var original = await Rate("GBP", "2023-06");

        var unguarded = await Client.PutAsJsonAsync("/api/v1/exchange-rates/GBP/2023-06", new { unitsPerUsd = original + 0.1m });
        var put = await PutRate("GBP", "2023-06", original + 0.1m);
        var after = await Created(new { projectId = project, amount = 500.00m, currency = "GBP", valueDate = "2023-06-11", reference = Ref() });
        var reread = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/disbursements/{before.GetProperty("id").GetGuid()}");
        await PutRate("GBP", "2023-06", original);

        Assert.That(unguarded.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionRequired), "an existing rate changes only with If-Match");
        Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(reread.GetProperty("amountUsd").GetDecimal(), Is.EqualTo(before.GetProperty("amountUsd").GetDecimal()));
        Assert.That(reread.GetProperty("fxRate").GetDecimal(), Is.EqualTo(original));
        Assert.That(after.GetProperty("fxRate").GetDecimal(), Is.EqualTo(original + 0.1m));
    }

    [TestCase("GBP", "2023-13", """{ "unitsPerUsd": 0.8 }""", HttpStatusCode.BadRequest)]
    [TestCase("gbp", "2023-06", """{ "unitsPerUsd": 0.8 }""", HttpStatusCode.UnprocessableEntity)]
    [TestCase("GBP", "2023-06", """{ "unitsPerUsd": -1 }""", HttpStatusCode.UnprocessableEntity)]
    [TestCase("XYZ", "2023-06", """{ "unitsPerUsd": 0.8 }""", HttpStatusCode.UnprocessableEntity)]
    public async Task A_bad_rate_is_refused(string currency, string month, string body, HttpStatusCode status)
    {
        var response = await Client.PutAsync($"/api/v1/exchange-rates/{currency}/{month}", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.That(response.StatusCode, Is.EqualTo(status));
    }

    [TestCase("amount", 0, "2024-01-10", "USD", "disbursement")]
    [TestCase("amount", -5, "2024-01-10", "USD", "disbursement")]
    [TestCase("amount", 1.5, "2024-01-10", "JPY", "disbursement")]
    [TestCase("valueDate", 10, "2099-01-01", "USD", "disbursement")]
    [TestCase("currency", 10, "2024-01-10", "XXX", "disbursement")]
    [TestCase("type", 10, "2024-01-10", "USD", "grant")]
    public async Task Invalid_values_are_a_422_naming_the_field(string field, decimal amount, string valueDate, string currency, string type)
    {
        var response = await Post(new { projectId = Registry.AddProject(), type, amount, currency, valueDate, reference = Ref() });

        await Problem(response, HttpStatusCode.UnprocessableEntity, field);
    }

    [Test]
    public async Task An_unknown_province_is_a_422_and_a_former_code_is_kept_beside_the_current_one()
    {
        var project = Registry.AddProject();

        var unknown = await Post(new { projectId = project, amount = 1m, currency = "USD", valueDate = "2024-01-10", reference = Ref(), provinceCode = "99" });
        var former = await Created(new { projectId = project, amount = 1m, currency = "USD", valueDate = "2024-01-10", reference = Ref(), provinceCode = "10" });

        await Problem(unknown, HttpStatusCode.UnprocessableEntity, "provinceCode");
        Assert.That((former.GetProperty("provinceCode").GetString(), former.GetProperty("currentProvinceCode").GetString()), Is.EqualTo(("10", "15")));
    }

    [TestCase("""{ "amount": 10, "currency": "USD", "valueDate": "2024-01-10", "reference": "x" }""", "projectId", HttpStatusCode.UnprocessableEntity)]
    [TestCase("""{ "projectId": "PROJECT", "amount": "ten", "currency": "USD", "valueDate": "2024-01-10", "reference": "x" }""", "amount", HttpStatusCode.BadRequest)]
    [TestCase("""{ "projectId": "PROJECT", "amount": 10, "currency": "USD", "valueDate": "10/01/2024", "reference": "x" }""", "valueDate", HttpStatusCode.BadRequest)]
    [TestCase("""{ "projectId": "PROJECT", "amount": 10, "currency": "USD", "valueDate": "2024-01-10" }""", "reference", HttpStatusCode.UnprocessableEntity)]
    public async Task Unreadable_values_are_a_400_and_missing_fields_a_422_naming_the_field(string json, string field, HttpStatusCode status)
    {
        var response = await Client.PostAsync("/api/v1/disbursements",
            new StringContent(json.Replace("PROJECT", Registry.AddProject().ToString(), StringComparison.Ordinal), Encoding.UTF8, "application/json"));

        await Problem(response, status, field);
    }

    [Test]
    public async Task An_unknown_project_is_a_422_and_a_cancelled_one_too()
    {
        var unknown = await Post(new { projectId = Guid.NewGuid(), amount = 1m, currency = "USD", valueDate = "2024-01-10", reference = Ref() });
        var cancelled = await Post(new { projectId = Registry.AddProject(status: "cancelled"), amount = 1m, currency = "USD", valueDate = "2024-01-10", reference = Ref() });

        await Problem(unknown, HttpStatusCode.UnprocessableEntity, "projectId");
        await Problem(cancelled, HttpStatusCode.UnprocessableEntity, "projectId");
    }

    [Test]
    public async Task A_project_cancelled_after_a_row_was_recorded_refuses_the_next()
    {
        var project = Registry.AddProject();
        await Created(new { projectId = project, amount = 1m, currency = "USD", valueDate = "2024-01-10", reference = Ref() });
        // As a ProjectUpdated event would leave the copy: the service remembers the project as it was.
        await using var connection = new NpgsqlConnection(TestEnvironment.ServiceConnectionString("disbursement"));
        await connection.ExecuteAsync("update projects set status = 'cancelled', version = version + 1 where id = @project", new { project });

        var reference = Ref();
        var refused = await Post(new { projectId = project, amount = 1m, currency = "USD", valueDate = "2024-01-11", reference });

        await Problem(refused, HttpStatusCode.UnprocessableEntity, "projectId");
        Assert.That(await connection.ExecuteScalarAsync<long>("select count(*) from disbursements where reference = @reference", new { reference }), Is.Zero);
    }

    [Test]
    public async Task The_registry_being_down_is_a_503_and_nothing_is_written()
    {
        var reference = Ref();
        Registry.Down = true;
        try
        {
            var response = await Post(new { projectId = Guid.NewGuid(), amount = 1m, currency = "USD", valueDate = "2024-01-10", reference });

            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.ServiceUnavailable), await response.Content.ReadAsStringAsync());
            Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        }
        finally
        {
            Registry.Down = false;
        }
    }

    [Test]
    public async Task A_reference_is_unique_per_ngo_only()
    {
        var reference = Ref();
        var first = await Post(new { projectId = Registry.AddProject(), amount = 1m, currency = "USD", valueDate = "2024-01-10", reference });
        var ngo = Guid.NewGuid();
        var sameNgo = await Post(new { projectId = Registry.AddProject(ngo), amount = 1m, currency = "USD", valueDate = "2024-01-10", reference = "dup-" + reference });
        var clash = await Post(new { projectId = Registry.AddProject(ngo), amount = 2m, currency = "USD", valueDate = "2024-01-11", reference = "dup-" + reference });

        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.That(sameNgo.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        await Problem(clash, HttpStatusCode.Conflict, null);
    }

    [Test]
    public async Task A_reversal_is_a_negative_linked_row_and_a_second_one_is_a_409()
    {
        var original = await Created(new { projectId = Registry.AddProject(), type = "commitment", amount = 1234.56m, currency = "AUD", valueDate = "2022-02-02", reference = Ref() });
        var id = original.GetProperty("id").GetGuid();

        var reversal = await Client.PostAsJsonAsync($"/api/v1/disbursements/{id}/reversal", new { reason = "duplicate entry" });
        var again = await Client.PostAsJsonAsync($"/api/v1/disbursements/{id}/reversal", new { reason = "again" });
        var reversed = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/disbursements/{id}");
        var body = await reversal.Content.ReadFromJsonAsync<JsonElement>();
        var ofReversal = await Client.PostAsJsonAsync($"/api/v1/disbursements/{body.GetProperty("id").GetGuid()}/reversal", new { reason = "no" });

        Assert.That(reversal.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        Assert.Multiple(() =>
        {
            Assert.That(body.GetProperty("amount").GetDecimal(), Is.EqualTo(-1234.56m));
            Assert.That(body.GetProperty("amountUsd").GetDecimal(), Is.EqualTo(-original.GetProperty("amountUsd").GetDecimal()));
            Assert.That(body.GetProperty("reversesId").GetGuid(), Is.EqualTo(id));
            Assert.That(reversed.GetProperty("status").GetString(), Is.EqualTo("reversed"));
        });
        await Problem(again, HttpStatusCode.Conflict, null);
        await Problem(ofReversal, HttpStatusCode.UnprocessableEntity, null);
        await Problem(await Client.PostAsJsonAsync($"/api/v1/disbursements/{Guid.NewGuid()}/reversal", new { reason = "x" }), HttpStatusCode.NotFound, null);
        await Problem(await Client.PostAsJsonAsync($"/api/v1/disbursements/{id}/reversal", new { reason = "" }), HttpStatusCode.UnprocessableEntity, "reason");
    }

    [Test]
    public async Task Each_write_publishes_its_event_once_with_the_row_id()
    {
        var project = Registry.AddProject();
        var row = await Created(new { projectId = project, amount = 77.77m, currency = "USD", valueDate = "2024-05-05", reference = Ref() });
        var id = row.GetProperty("id").GetGuid();
        var reversal = await Client.PostAsJsonAsync($"/api/v1/disbursements/{id}/reversal", new { reason = "test" });
        var reversalId = (await reversal.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        // A later write to the same project: once its event is here, the earlier ones have had their turn.
        var marker = (await Created(new { projectId = project, amount = 1m, currency = "USD", valueDate = "2024-05-06", reference = Ref() })).GetProperty("id").GetGuid();

        await Eventually.True(() => Recorded.Any(e => e.DisbursementId == marker) && Reversed.Any(e => e.DisbursementId == reversalId), "the events to arrive");
        Assert.That(Recorded.Count(e => e.DisbursementId == id), Is.EqualTo(1));
        Assert.That(Reversed.Count(e => e.DisbursementId == reversalId), Is.EqualTo(1));
        var recorded = Recorded.Single(e => e.DisbursementId == id);
        Assert.That((recorded.EventId, recorded.AmountUsd, recorded.ProjectId), Is.EqualTo((id, 77.77m, project)));
    }

    [Test]
    public async Task A_row_is_written_with_its_event_or_not_at_all()
    {
        var ledger = Factory.Services.GetRequiredService<LedgerStore>();
        var row = new LedgerRow(Guid.CreateVersion7(), Guid.NewGuid(), Registry.AddProject(), "disbursement", 10m, "USD", 10m, 1m,
            new DateOnly(2024, 1, 1), new DateOnly(2024, 1, 10), null, null, Ref(), null);
        await using var connection = new NpgsqlConnection(TestEnvironment.ServiceConnectionString("disbursement"));
        // The outbox already holds the row's id (parked, so the relay leaves it alone): the event cannot be written.
        await connection.ExecuteAsync("insert into outbox_messages (id, message_type, payload, failed_at) values (@Id, 'test', '{}', now())", new { row.Id });

        var refused = Assert.ThrowsAsync<PostgresException>(() => ledger.Record(row, CancellationToken.None));

        Assert.That(refused!.ConstraintName, Is.EqualTo("outbox_messages_pkey"));
        Assert.That(await connection.ExecuteScalarAsync<long>("select count(*) from disbursements where id = @Id", new { row.Id }), Is.Zero);
    }

    [Test]
    public async Task The_same_idempotency_key_replays_the_first_response()
    {
        var body = new { projectId = Registry.AddProject(), amount = 5m, currency = "USD", valueDate = "2024-01-10", reference = Ref() };
        var key = Guid.NewGuid().ToString();

        var first = await Post(body, key);
        var second = await Post(body, key);
        var other = await Post(body with { amount = 6m }, key);

        Assert.That((await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid(),
            Is.EqualTo((await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid()));
        await Problem(other, HttpStatusCode.UnprocessableEntity, null);
    }

    [Test]
    public async Task Lists_filter_by_project_and_type_and_page()
    {
        var project = Registry.AddProject();
        foreach (var type in new[] { "commitment", "disbursement", "disbursement", "expenditure" })
        {
            await Created(new { projectId = project, type, amount = 10m, currency = "USD", valueDate = "2024-02-02", reference = Ref() });
        }

        var page = await Client.GetFromJsonAsync<JsonElement>($"/api/v1/disbursements?projectId={project}&type=disbursement&pageSize=1");
        var badPage = await Client.GetAsync("/api/v1/disbursements?pageSize=501");
        var unknown = await Client.GetAsync($"/api/v1/disbursements/{Guid.NewGuid()}");

        Assert.That(page.GetProperty("total").GetInt64(), Is.EqualTo(2));
        Assert.That(page.GetProperty("items").GetArrayLength(), Is.EqualTo(1));
        await Problem(badPage, HttpStatusCode.UnprocessableEntity, "pageSize");
        await Problem(unknown, HttpStatusCode.NotFound, null);
    }

    [Test]
    public async Task Totals_cover_the_range_and_count_reversal_rows()
    {
        var before = await Client.GetFromJsonAsync<JsonElement>("/api/v1/disbursements/totals?from=2018-03-01&to=2018-03-31");
        var row = await Created(new { projectId = Registry.AddProject(), type = "expenditure", amount = 40m, currency = "USD", valueDate = "2018-03-15", reference = Ref() });
        await Client.PostAsJsonAsync($"/api/v1/disbursements/{row.GetProperty("id").GetGuid()}/reversal", new { reason = "x" });
        await Created(new { projectId = Registry.AddProject(), type = "expenditure", amount = 2.5m, currency = "USD", valueDate = "2018-03-16", reference = Ref() });

        var after = await Client.GetFromJsonAsync<JsonElement>("/api/v1/disbursements/totals?from=2018-03-01&to=2018-03-31");

        Assert.That(after.GetProperty("byType").GetProperty("expenditure").GetDecimal() - before.GetProperty("byType").GetProperty("expenditure").GetDecimal(), Is.EqualTo(2.5m));
        Assert.That(after.GetProperty("count").GetInt64() - before.GetProperty("count").GetInt64(), Is.EqualTo(3));
        await Problem(await Client.GetAsync("/api/v1/disbursements/totals?from=2018-04-01&to=2018-03-01"), HttpStatusCode.UnprocessableEntity, "to");
    }

    private static string Ref() => $"T-{Guid.NewGuid():N}";

    private async Task<HttpResponseMessage> Post(object body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/disbursements") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        return await Client.SendAsync(request);
    }

    private async Task<JsonElement> Created(object body)
    {
        var response = await Post(body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>Changes a rate as a careful client does: reads its ETag, then PUTs with If-Match.</summary>
    private async Task<HttpResponseMessage> PutRate(string currency, string month, decimal unitsPerUsd)
    {
        using var current = await Client.GetAsync($"/api/v1/exchange-rates/{currency}/{month}");
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/exchange-rates/{currency}/{month}") { Content = JsonContent.Create(new { unitsPerUsd }) };
        request.Headers.TryAddWithoutValidation("If-Match", current.Headers.ETag!.Tag);
        return await Client.SendAsync(request);
    }

    [Test]
    public async Task A_new_months_rate_is_created_with_its_location_and_if_none_match_star_refuses_to_overwrite()
    {
        var month = $"{2100 + Random.Shared.Next(0, 90)}-{Random.Shared.Next(1, 13):00}";
        using var created = await Client.PutAsJsonAsync($"/api/v1/exchange-rates/NOK/{month}", new { unitsPerUsd = 10.5m });
        using var again = new HttpRequestMessage(HttpMethod.Put, $"/api/v1/exchange-rates/NOK/{month}") { Content = JsonContent.Create(new { unitsPerUsd = 11m }) };
        again.Headers.TryAddWithoutValidation("If-None-Match", "*");
        using var refused = await Client.SendAsync(again);
        using var read = await Client.GetAsync(created.Headers.Location);

        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Created), await created.Content.ReadAsStringAsync());
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.PreconditionFailed));
        Assert.That(read.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(read.Headers.ETag?.Tag, Is.EqualTo(created.Headers.ETag?.Tag));
        Assert.That((await read.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("unitsPerUsd").GetDecimal(), Is.EqualTo(10.5m));
    }

    private async Task<decimal> Rate(string currency, string month) =>
        (await Client.GetFromJsonAsync<JsonElement>($"/api/v1/exchange-rates?currency={currency}&from={month}&to={month}"))
            .GetProperty("items")[0].GetProperty("unitsPerUsd").GetDecimal();

    internal static async Task Problem(HttpResponseMessage response, HttpStatusCode status, string? field)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.That(response.StatusCode, Is.EqualTo(status), text);
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("application/problem+json"));
        if (field is not null)
        {
            var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors");
            Assert.That(errors.EnumerateObject().Any(e => e.Name.EndsWith(field, StringComparison.Ordinal)), Is.True, text);
        }
    }
}
