using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AidPlatform.Contracts.Disbursement;
using AidPlatform.Disbursement.Api.Data.Importing;
using AidPlatform.Testing;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace AidPlatform.Disbursement.Tests;

public sealed class Batches_and_imports : DisbursementSpecs
{
    [Test]
    public async Task A_batch_of_ten_thousand_rows_is_recorded_whole()
    {
        var project = Registry.AddProject();
        var items = Enumerable.Range(0, 10_000).Select(i => new
        {
            projectId = project, amount = 1m + i % 100, currency = i % 2 == 0 ? "USD" : "EUR", valueDate = "2023-05-05", reference = $"B-{Guid.NewGuid():N}",
        }).ToArray();

        var response = await Client.PostAsJsonAsync("/api/v1/disbursements/batch", items);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.That(body.GetProperty("count").GetInt32(), Is.EqualTo(10_000));
        Assert.That(body.GetProperty("ids").GetArrayLength(), Is.EqualTo(10_000));
        Assert.That(await LedgerRows(project), Is.EqualTo(10_000));
    }

    [Test]
    public async Task A_batch_with_bad_items_is_a_422_naming_each_by_index_and_writes_nothing()
    {
        var project = Registry.AddProject();
        var duplicate = $"B-{Guid.NewGuid():N}";
        var recorded = $"B-{Guid.NewGuid():N}";
        var first = await Client.PostAsJsonAsync("/api/v1/disbursements", new { projectId = project, amount = 1m, currency = "USD", valueDate = "2023-05-05", reference = recorded });
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        var items = new object[]
        {
            new { projectId = project, amount = 10m, currency = "USD", valueDate = "2023-05-05", reference = $"B-{Guid.NewGuid():N}" },
            new { projectId = project, amount = -1m, currency = "USD", valueDate = "2023-05-05", reference = $"B-{Guid.NewGuid():N}" },
            new { projectId = Guid.NewGuid(), amount = 10m, currency = "USD", valueDate = "2023-05-05", reference = $"B-{Guid.NewGuid():N}" },
            new { projectId = project, amount = 10m, currency = "USD", valueDate = "2023-05-05", reference = duplicate },
            new { projectId = project, amount = 10m, currency = "USD", valueDate = "2023-05-05", reference = duplicate },
            new { projectId = project, amount = 10m, currency = "USD", valueDate = "2023-05-05" },
            new { projectId = project, amount = 10m, currency = "USD", valueDate = "2023-05-05", reference = recorded },
        };

        var response = await Client.PostAsJsonAsync("/api/v1/disbursements/batch", items);

        await Recording_disbursements.Problem(response, HttpStatusCode.UnprocessableEntity, null);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
        // One answer lists every fault, the reference the ledger already holds included.
        Assert.That(errors, Is.EquivalentTo(new[] { "[1].amount", "[2].projectId", "[4].reference", "[5].reference", "[6].reference" }));
        Assert.That(await LedgerRows(project), Is.EqualTo(1));
    }

    [Test]
    public async Task A_batch_over_ten_thousand_or_empty_is_a_422()
    {
        var project = Registry.AddProject();
        var tooMany = Enumerable.Range(0, 10_001).Select(i => new { projectId = project, amount = 1m, currency = "USD", valueDate = "2023-05-05", reference = $"x{i}" });

        await Recording_disbursements.Problem(await Client.PostAsJsonAsync("/api/v1/disbursements/batch", tooMany), HttpStatusCode.UnprocessableEntity, "body");
        await Recording_disbursements.Problem(await Client.PostAsJsonAsync("/api/v1/disbursements/batch", Array.Empty<object>()), HttpStatusCode.UnprocessableEntity, "body");
    }

    [Test]
    public async Task An_import_with_a_bad_row_fails_whole_naming_the_row_and_field()
    {
        var project = Registry.AddProject();
        var csv = new StringBuilder("projectId,type,amount,currency,valueDate,provinceCode,reference,description\n");
        for (var i = 1; i <= 50; i++)
        {
            var amount = i == 17 ? "12,5x" : "100.25";
            var province = i == 30 ? "99" : "";
            csv.Append(CultureInfo.InvariantCulture, $"{project},disbursement,\"{amount}\",USD,2023-07-01,{province},I-{Guid.NewGuid():N},\"note, with comma\"\n");
        }

        var status = await ImportAndWait(csv.ToString());

        Assert.That(status.GetProperty("status").GetString(), Is.EqualTo("failed"));
        var errors = status.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("row").GetInt64(), e.GetProperty("field").GetString())).ToList();
        Assert.That(errors, Is.EquivalentTo(new[] { (17L, "amount"), (30L, "provinceCode") }));
        Assert.That(await LedgerRows(project), Is.Zero);
    }

    [Test]
    public async Task An_import_reusing_references_fails_whole_naming_every_clash_and_the_file_without_them_then_goes_in()
    {
        var project = Registry.AddProject();
        var held = $"H-{Guid.NewGuid():N}";
        var twice = $"T-{Guid.NewGuid():N}";
        var first = await Client.PostAsJsonAsync("/api/v1/disbursements", new { projectId = project, amount = 1m, currency = "USD", valueDate = "2023-05-05", reference = held });
        Assert.That(first.StatusCode, Is.EqualTo(HttpStatusCode.Created));
        string Line(string reference) => $"{project},disbursement,10.00,USD,2023-07-01,,{reference},\n";
        var header = "projectId,type,amount,currency,valueDate,provinceCode,reference,description\n";
        string[] fresh = [.. Enumerable.Range(0, 40).Select(i => $"F-{i}-{Guid.NewGuid():N}")];

        // Rows 5 and 9 share a reference; row 20 reuses one the ledger holds.
        var clashing = fresh.Select((r, i) => i switch { 4 or 8 => twice, 19 => held, _ => r });
        var failed = await ImportAndWait(header + string.Concat(clashing.Select(Line)));
        var succeeded = await ImportAndWait(header + string.Concat(fresh.Select(Line)));

        Assert.That(failed.GetProperty("status").GetString(), Is.EqualTo("failed"));
        var errors = failed.GetProperty("errors").EnumerateArray().Select(e => (e.GetProperty("row").GetInt64(), e.GetProperty("field").GetString())).ToList();
        Assert.That(errors, Is.EquivalentTo(new[] { (5L, "reference"), (9L, "reference"), (20L, "reference") }));
        Assert.That(succeeded.GetProperty("status").GetString(), Is.EqualTo("succeeded"), succeeded.ToString());
        Assert.That(await LedgerRows(project), Is.EqualTo(1 + fresh.Length), "the failed file wrote nothing, the second all of it");
    }

    [Test]
    public async Task An_import_of_n_rows_publishes_n_events_and_totals_match_the_stored_rates_to_the_cent()
    {
        const int n = 3_000;
        var project = Registry.AddProject();
        var currencies = new[] { "USD", "EUR", "GBP", "JPY", "VND" };
        var random = new Random(11);
        var rows = Enumerable.Range(0, n).Select(i =>
        {
            var currency = currencies[i % currencies.Length];
            var amount = currency is "JPY" or "VND" ? random.Next(1, 50_000_000) : random.Next(1, 10_000_000) / 100m;
            return (Currency: currency, Amount: amount, ValueDate: new DateOnly(2021 + i % 3, 1 + i % 12, 1 + i % 28));
        }).ToList();
        var csv = new StringBuilder("projectId,type,amount,currency,valueDate,provinceCode,reference,description\n");
        foreach (var (row, i) in rows.Select((r, i) => (r, i)))
        {
            csv.Append(CultureInfo.InvariantCulture, $"{project},{(i % 3 == 0 ? "commitment" : "disbursement")},{row.Amount},{row.Currency},{row.ValueDate:yyyy-MM-dd},,I-{Guid.NewGuid():N},\n");
        }

        var status = await ImportAndWait(csv.ToString());

        Assert.That(status.GetProperty("status").GetString(), Is.EqualTo("succeeded"), status.ToString());
        Assert.That(status.GetProperty("rowsDone").GetInt64(), Is.EqualTo(n));
        // The rows' events come in parts of at most 500, each part once, numbered 1..parts.
        await Eventually.True(() => Entries(project).Count() >= n, $"{n} events", TimeSpan.FromSeconds(60));
        Assert.That(Entries(project).Select(e => e.DisbursementId).Distinct().Count(), Is.EqualTo(n));
        var parts = Imported.Where(i => i.Entries.Any(e => e.ProjectId == project)).ToList();
        Assert.That(parts.Select(p => p.Part).Order(), Is.EqualTo(Enumerable.Range(1, parts[0].Parts)), "every part once");
        Assert.That(parts, Has.All.Matches<DisbursementsImported>(p => p.Entries.Count <= 500 && p.ImportId == parts[0].ImportId));

        var expected = 0m;
        foreach (var row in rows)
        {
            expected += row.Currency == "USD" ? row.Amount : Math.Round(row.Amount / await Rate(row.Currency, row.ValueDate), 2, MidpointRounding.AwayFromZero);
        }

        await using var connection = new NpgsqlConnection(TestEnvironment.ServiceConnectionString("disbursement"));
        Assert.That(await connection.ExecuteScalarAsync<decimal>("select sum(amount_usd) from disbursements where project_id = @project", new { project }), Is.EqualTo(expected));
        Assert.That(Entries(project).Sum(e => e.AmountUsd), Is.EqualTo(expected));
    }

    private IEnumerable<DisbursementRecorded> Entries(Guid project) => Imported.SelectMany(i => i.Entries).Where(e => e.ProjectId == project);

    [Test]
    public async Task An_imports_events_interrupted_after_the_first_part_resume_with_the_rest_each_row_once()
    {
        // The state a crash leaves: 1,200 committed rows of an import whose first part (its 500 lowest ids) is in
        // the outbox. The writer sends parts 2 and 3 only, with the other 700 rows, and records that it is done.
        var import = Guid.CreateVersion7();
        var project = Guid.NewGuid();
        var ids = Enumerable.Range(0, 1_200).Select(_ => Guid.CreateVersion7()).ToArray();
        await using var connection = new NpgsqlConnection(TestEnvironment.ServiceConnectionString("disbursement"));
        await connection.ExecuteAsync("""
            insert into disbursements (id, ngo_id, project_id, type, amount, currency, amount_usd, fx_rate, fx_rate_month, value_date, reference, import_id)
            select id, @project, @project, 'disbursement', 1.00, 'USD', 1.00, 1, date '2024-01-01', date '2024-01-15', 'R-' || id, @import
            from unnest(@ids) as id
            """, new { ids, project, import });
        var ordered = (await connection.QueryAsync<Guid>("select id from disbursements where import_id = @import order by id", new { import })).ToList();
        await connection.ExecuteAsync("""
            insert into imports (id, file_path) values (@import, 'written');
            insert into import_progress (import_id, status, rows_total, rows_done, event_parts, parts_written, events_after)
            values (@import, 'succeeded', 1200, 1200, 3, 1, @after);
            """, new { import, after = ordered[499] });
        Factory.Services.GetRequiredService<ImportEventWriter>().Wake();

        await Eventually.True(() => Imported.Count(p => p.ImportId == import) >= 2, "parts 2 and 3", TimeSpan.FromSeconds(30));
        await Eventually.True(async () => await connection.ExecuteScalarAsync<int>("select parts_written from import_progress where import_id = @import", new { import }) == 3,
            "the import's events recorded as written", TimeSpan.FromSeconds(10));

        var parts = Imported.Where(p => p.ImportId == import).OrderBy(p => p.Part).ToList();
        Assert.That(parts.Select(p => (p.Part, p.Parts)), Is.EqualTo(new[] { (2, 3), (3, 3) }));
        Assert.That(parts.SelectMany(p => p.Entries).Select(e => e.DisbursementId), Is.EqualTo(ordered.Skip(500)), "the rows after the first part, in id order, once");
        Assert.That(await connection.ExecuteScalarAsync<Guid>("select events_after from import_progress where import_id = @import", new { import }), Is.EqualTo(ordered[^1]));
    }

    [Test]
    public async Task An_imported_rows_event_reads_field_for_field_as_the_one_built_in_sql_did()
    {
        // The import used to build its events in SQL; this expression is kept to prove consumers read, in each
        // part's entries, the same event the one builder gives every other write (only trailing zeros may be
        // spelled otherwise).
        const string builtInSql = """
            select d.id, jsonb_build_object(
                'eventId', d.id, 'occurredAt', now(), 'disbursementId', d.id, 'ngoId', d.ngo_id, 'projectId', d.project_id, 'type', d.type,
                'amount', d.amount, 'currency', d.currency, 'amountUsd', d.amount_usd, 'fxRate', d.fx_rate,
                'fxRateMonth', to_char(d.fx_rate_month, 'YYYY-MM'), 'valueDate', to_char(d.value_date, 'YYYY-MM-DD'),
                'provinceCode', d.province_code, 'currentProvinceCode', d.current_province_code, 'reference', d.reference)::text as before
            from disbursements d
            where d.project_id = @project
            """;
        var project = Registry.AddProject();
        string[] lines = ["commitment,1000,EUR,2024-03-15,02", ",1234.5,USD,2023-07-01,", "expenditure,25000000,VND,2025-06-20,79", "disbursement,0.01,GBP,2021-11-30,01", ",7,JPY,2020-02-29,"];
        var csv = new StringBuilder("projectId,type,amount,currency,valueDate,provinceCode,reference,description\n");
        foreach (var (line, i) in lines.Select((l, i) => (l, i)))
        {
            csv.Append(CultureInfo.InvariantCulture, $"{project},{line},E-{i}-{Guid.NewGuid():N},note {i}\n");
        }

        var status = await ImportAndWait(csv.ToString());

        Assert.That(status.GetProperty("status").GetString(), Is.EqualTo("succeeded"), status.ToString());
        await Eventually.True(() => Entries(project).Count() == lines.Length, "the import's part to arrive");
        await using var connection = new NpgsqlConnection(TestEnvironment.ServiceConnectionString("disbursement"));
        var rows = (await connection.QueryAsync<(Guid Id, string Before)>(builtInSql, new { project })).ToList();
        Assert.That(rows, Has.Count.EqualTo(lines.Length));
        var part = Imported.Single(i => i.Entries.Any(e => e.ProjectId == project));
        Assert.That((part.Part, part.Parts), Is.EqualTo((1, 1)));
        foreach (var (id, before) in rows)
        {
            var now = part.Entries.Single(e => e.DisbursementId == id);
            var then = JsonSerializer.Deserialize<DisbursementRecorded>(before, JsonSerializerOptions.Web)!;
            Assert.That(now, Is.EqualTo(then with { OccurredAt = now.OccurredAt }));
            Assert.That(now.OccurredAt, Is.EqualTo(then.OccurredAt).Within(TimeSpan.FromMinutes(5)));
            Assert.That(now.OccurredAt, Is.EqualTo(part.OccurredAt));
        }
    }

    [Test]
    public async Task An_import_needs_csv_and_an_unknown_import_is_a_404()
    {
        var wrongType = await Client.PostAsync("/api/v1/disbursements/imports", new StringContent("{}", Encoding.UTF8, "application/json"));
        var unknown = await Client.GetAsync($"/api/v1/disbursements/imports/{Guid.NewGuid()}");

        Assert.That(wrongType.StatusCode, Is.EqualTo(HttpStatusCode.UnsupportedMediaType));
        await Recording_disbursements.Problem(unknown, HttpStatusCode.NotFound, null);
    }

    private readonly Dictionary<(string, string), decimal> rates = [];

    private async Task<decimal> Rate(string currency, DateOnly date)
    {
        var month = date.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        if (!rates.TryGetValue((currency, month), out var rate))
        {
            rate = (await Client.GetFromJsonAsync<JsonElement>($"/api/v1/exchange-rates?currency={currency}&from={month}&to={month}"))
                .GetProperty("items")[0].GetProperty("unitsPerUsd").GetDecimal();
            rates[(currency, month)] = rate;
        }

        return rate;
    }

    [Test]
    public async Task An_import_is_also_a_multipart_file_upload()
    {
        var project = Registry.AddProject();
        var csv = $"projectId,type,amount,currency,valueDate,provinceCode,reference,description\n{project},disbursement,12.34,USD,2023-07-01,,M-{Guid.NewGuid():N},\n";

        var status = await ImportAndWait(csv, multipart: true);

        Assert.That(status.GetProperty("status").GetString(), Is.EqualTo("succeeded"), status.ToString());
        Assert.That(await LedgerRows(project), Is.EqualTo(1));
    }

    private async Task<JsonElement> ImportAndWait(string csv, bool multipart = false)
    {
        using var form = new MultipartFormDataContent { { new StringContent(csv, Encoding.UTF8, "text/csv"), "file", "rows.csv" } };
        var response = await Client.PostAsync("/api/v1/disbursements/imports", multipart ? form : new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Accepted), await response.Content.ReadAsStringAsync());
        var location = response.Headers.Location!.ToString();
        JsonElement status = default;
        await Eventually.True(async () =>
        {
            status = await Client.GetFromJsonAsync<JsonElement>(location);
            return status.GetProperty("status").GetString() is "succeeded" or "failed";
        }, "the import to finish", TimeSpan.FromSeconds(120));
        return status;
    }

    private async Task<long> LedgerRows(Guid project) =>
        (await Client.GetFromJsonAsync<JsonElement>($"/api/v1/disbursements?projectId={project}&pageSize=1")).GetProperty("total").GetInt64();
}
