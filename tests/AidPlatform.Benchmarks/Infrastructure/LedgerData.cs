using AidPlatform.Reference;
using System.Globalization;
using System.Text;
using Dapper;
using Npgsql;
using NpgsqlTypes;

namespace AidPlatform.Benchmarks.Infrastructure;

/// <summary>A ledger row as a partner sends it (CSV line or JSON body).</summary>
internal readonly record struct LedgerInput(Guid ProjectId, Guid NgoId, string Type, decimal Amount, string Currency, DateOnly ValueDate, string? ProvinceCode, string Reference);

/// <summary>
/// Deterministic ledger rows over the benchmark's projects: six currencies, three types, value dates
/// over 2020-2024, a third naming their project's province; references unique per run.
/// </summary>
internal sealed class LedgerData(IReadOnlyList<BenchEnvironment.ProjectRef> projects, int seed)
{
    public const string CsvHeader = "projectId,type,amount,currency,valueDate,provinceCode,reference,description";

    private static readonly string[] Currencies = ["USD", "EUR", "VND", "JPY", "GBP", "AUD"];
    private static readonly string[] Types = ["commitment", "disbursement", "expenditure"];
    private static readonly DateOnly FirstDay = new(2020, 1, 1);

    private readonly Random random = new(seed);
    private readonly string run = Guid.NewGuid().ToString("N")[..8];
    private long next;

    public LedgerInput Next()
    {
        var project = projects[random.Next(projects.Count)];
        var currency = Currencies[random.Next(Currencies.Length)];
        var amount = currency is "VND" or "JPY"
            ? random.Next(1_000, 500_000_000) * (currency == "VND" ? 10m : 1m)
            : random.Next(100, 50_000_000) / 100m;
        return new LedgerInput(project.Id, project.NgoId, Types[random.Next(Types.Length)], amount, currency,
            FirstDay.AddDays(random.Next(0, 5 * 365)), random.Next(3) == 0 ? project.ProvinceCode : null,
            $"BENCH-{run}-{Interlocked.Increment(ref next)}");
    }

    public LedgerInput[] Take(int count)
    {
        var rows = new LedgerInput[count];
        for (var i = 0; i < count; i++)
        {
            rows[i] = Next();
        }

        return rows;
    }

    public static object Json(LedgerInput row) => new
    {
        projectId = row.ProjectId,
        type = row.Type,
        amount = row.Amount,
        currency = row.Currency,
        valueDate = row.ValueDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        provinceCode = row.ProvinceCode,
        reference = row.Reference,
    };

    public static async Task WriteCsv(string path, IEnumerable<LedgerInput> rows)
    {
        await using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        await writer.WriteLineAsync(CsvHeader);
        foreach (var r in rows)
        {
            await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{r.ProjectId},{r.Type},{r.Amount},{r.Currency},{r.ValueDate:yyyy-MM-dd},{r.ProvinceCode},{r.Reference},"));
        }
    }
}

/// <summary>The ledger's monthly rates, read from the service's table, to give baseline rows the same USD columns.</summary>
internal sealed class Rates
{
    private readonly Dictionary<(string, DateOnly), decimal> rates;
    private readonly Dictionary<string, string> provinces;

    private Rates(Dictionary<(string, DateOnly), decimal> rates, Dictionary<string, string> provinces)
    {
        this.rates = rates;
        this.provinces = provinces;
    }

    public static async Task<Rates> Load(NpgsqlDataSource admin)
    {
        await using var connection = await admin.OpenConnectionAsync();
        var rates = (await connection.QueryAsync<(string Currency, DateOnly Month, decimal Units)>(
            "select currency, month, units_per_usd from disbursement.exchange_rates")).ToDictionary(r => (r.Currency, r.Month), r => r.Units);
        var provinces = (await connection.QueryAsync<(string Code, string Current)>("select code, current_code from disbursement.province_codes"))
            .ToDictionary(p => p.Code, p => p.Current);
        return new Rates(rates, provinces);
    }

    /// <summary>The rate the ledger converts at, by the platform's one rule.</summary>
    public (decimal UnitsPerUsd, DateOnly Month) Rate(string currency, DateOnly valueDate) =>
        UsdConversion.RateFor(currency, valueDate, (c, month) => rates.TryGetValue((c, month), out var rate) ? rate : null) is { } found
            ? (found.UnitsPerUsd, found.Month)
            : throw new InvalidOperationException($"No {currency} rate for {valueDate:yyyy-MM}.");

    /// <summary>A table shaped exactly as the ledger (columns, defaults, checks, indexes), owned by the superuser.</summary>
    public static async Task CreateLedgerTwin(NpgsqlDataSource admin, string table)
    {
        await using var connection = await admin.OpenConnectionAsync();
        await connection.ExecuteAsync($"""
            create schema if not exists bench;
            drop table if exists bench.{table};
            create table bench.{table} (like disbursement.disbursements including all);
            """);
    }

    /// <summary>Writes one row in the ledger's column order through a binary COPY, as the baseline of the import does.</summary>
    public async Task Write(NpgsqlBinaryImporter copy, LedgerInput r)
    {
        ArgumentNullException.ThrowIfNull(copy);
        var (units, month) = Rate(r.Currency, r.ValueDate);
        await copy.StartRowAsync();
        await copy.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
        await copy.WriteAsync(r.NgoId, NpgsqlDbType.Uuid);
        await copy.WriteAsync(r.ProjectId, NpgsqlDbType.Uuid);
        await copy.WriteAsync(r.Type, NpgsqlDbType.Text);
        await copy.WriteAsync(r.Amount, NpgsqlDbType.Numeric);
        await copy.WriteAsync(r.Currency, NpgsqlDbType.Text);
        await copy.WriteAsync(UsdConversion.ToUsd(r.Amount, units), NpgsqlDbType.Numeric);
        await copy.WriteAsync(units, NpgsqlDbType.Numeric);
        await copy.WriteAsync(month, NpgsqlDbType.Date);
        await copy.WriteAsync(r.ValueDate, NpgsqlDbType.Date);
        if (r.ProvinceCode is { } code)
        {
            await copy.WriteAsync(code, NpgsqlDbType.Text);
            await copy.WriteAsync(provinces[code], NpgsqlDbType.Text);
        }
        else
        {
            await copy.WriteNullAsync();
            await copy.WriteNullAsync();
        }

        await copy.WriteAsync(r.Reference, NpgsqlDbType.Text);
        await copy.WriteNullAsync();
    }

    public const string CopyColumns = "id, ngo_id, project_id, type, amount, currency, amount_usd, fx_rate, fx_rate_month, value_date, province_code, current_province_code, reference, description";
}
