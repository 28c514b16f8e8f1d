using AidPlatform.Disbursement.Api.Clients;
using Dapper;
using Npgsql;

namespace AidPlatform.Disbursement.Api.Domain;

/// <summary>
/// What validating ledger rows needs, read once per request or import: rates, currencies, province codes,
/// and the projects named (from the local copy, or asked of the registry when not seen yet).
/// </summary>
public sealed class LedgerContext
{
    private readonly Dictionary<(string Currency, DateOnly Month), decimal> rates;
    private readonly Dictionary<Guid, RegistryClient.ProjectInfo?> projects = [];
    private readonly NpgsqlDataSource dataSource;
    private readonly RegistryClient registry;

    private LedgerContext(NpgsqlDataSource dataSource, RegistryClient registry, Dictionary<(string, DateOnly), decimal> rates,
        Dictionary<string, int> minorUnits, Dictionary<string, string> provinces, DateOnly today)
    {
        this.dataSource = dataSource;
        this.registry = registry;
        this.rates = rates;
        MinorUnits = minorUnits;
        CurrentProvince = provinces;
        Today = today;
    }

    public IReadOnlyDictionary<string, int> MinorUnits { get; }

    public IReadOnlyDictionary<string, string> CurrentProvince { get; }

    /// <summary>A partner caller's NGO: its rows may name only that NGO's projects. Null for the ministry.</summary>
    public Guid? PartnerNgo { get; private init; }

    /// <summary>Today in Vietnam: a value date after it is in the future.</summary>
    public DateOnly Today { get; }

    public static async Task<LedgerContext> Load(NpgsqlDataSource dataSource, RegistryClient registry, Guid? partnerNgo, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var (version, today) = await connection.QuerySingleAsync<(long Version, DateOnly Today)>(
            "select version, (now() at time zone 'Asia/Ho_Chi_Minh')::date from reference_version");
        if (!Cached.TryGetValue(dataSource, out var reference) || reference.Version != version)
        {
            // Read after the version: a change committed in between only makes the next request read again.
            reference = await ReadReference(connection, version);
            Cached.AddOrUpdate(dataSource, reference);
        }

        return new LedgerContext(dataSource, registry, reference.Rates, reference.MinorUnits, reference.Provinces, today) { PartnerNgo = partnerNgo };
    }

    /// <summary>
    /// The rates, currencies and province codes, kept per data source and read again only when the
    /// database's reference_version has moved (any rate change bumps it in its own transaction): each
    /// request used to read all 3,000-odd rates.
    /// </summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<NpgsqlDataSource, Reference> Cached = [];

    private sealed record Reference(long Version, Dictionary<(string, DateOnly), decimal> Rates, Dictionary<string, int> MinorUnits, Dictionary<string, string> Provinces);

    private static async Task<Reference> ReadReference(NpgsqlConnection connection, long version)
    {
        const string sql = """
            select currency, month, units_per_usd from exchange_rates;
            select code, minor_units from currencies;
            select code, current_code from province_codes;
            """;
        await using var grid = await connection.QueryMultipleAsync(sql);
        var rates = (await grid.ReadAsync<(string Currency, DateOnly Month, decimal UnitsPerUsd)>()).ToDictionary(r => (r.Currency, r.Month), r => r.UnitsPerUsd);
        var currencies = (await grid.ReadAsync<(string Code, int MinorUnits)>()).ToDictionary(c => c.Code, c => c.MinorUnits, StringComparer.Ordinal);
        var provinces = (await grid.ReadAsync<(string Code, string CurrentCode)>()).ToDictionary(p => p.Code, p => p.CurrentCode, StringComparer.Ordinal);
        return new Reference(version, rates, currencies, provinces);
    }

    /// <summary>
    /// The rate of the value date's month; where that month has none, the latest of the three months
    /// before it. USD is 1. Null when there is none.
    /// </summary>
    public (decimal UnitsPerUsd, DateOnly Month)? Rate(string currency, DateOnly valueDate)
    {
        var month = new DateOnly(valueDate.Year, valueDate.Month, 1);
        if (currency == "USD")
        {
            return (1m, month);
        }

        for (var back = 0; back <= 3; back++)
        {
            if (rates.TryGetValue((currency, month.AddMonths(-back)), out var rate))
            {
                return (rate, month.AddMonths(-back));
            }
        }

        return null;
    }

    /// <summary>Loads the named projects: the local copy first, then the registry for those not seen yet.</summary>
    public async Task Resolve(IEnumerable<Guid> projectIds, CancellationToken cancellationToken)
    {
        var wanted = projectIds.Where(id => !projects.ContainsKey(id)).Distinct().ToArray();
        if (wanted.Length == 0)
        {
            return;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var local = await connection.QueryAsync<RegistryClient.ProjectInfo>(
            "select id, ngo_id, status, start_date, end_date, version from projects where id = any(@wanted)", new { wanted });
        foreach (var project in local)
        {
            projects[project.Id] = project;
        }

        foreach (var id in wanted.Where(id => !projects.ContainsKey(id)))
        {
            var fetched = await registry.GetProject(id, cancellationToken);
            projects[id] = fetched;
            if (fetched is not null)
            {
                await ProjectCopy.Upsert(connection, null, fetched);
            }
        }
    }

    /// <summary>A project resolved before; null when the registry does not know it.</summary>
    public RegistryClient.ProjectInfo? Project(Guid id) => projects.GetValueOrDefault(id);
}
