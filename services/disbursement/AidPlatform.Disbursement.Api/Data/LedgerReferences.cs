using System.Runtime.CompilerServices;
using AidPlatform.Disbursement.Api.Domain;
using AidPlatform.Reference;
using Dapper;
using Npgsql;

namespace AidPlatform.Disbursement.Api.Data;

/// <summary>
/// Builds the <see cref="LedgerReference"/> rows are validated against, once per request or import: the
/// monthly rates, currencies and province codes (from AidPlatform.Reference, as the seeded tables are),
/// today in Vietnam, and the projects the rows name.
/// </summary>
public sealed class LedgerReferences(NpgsqlDataSource dataSource, ProjectCopy copy, RegistryClient registry)
{
    /// <summary>
    /// The rates, kept per data source and read again only when the database's reference_version has moved
    /// (any rate change bumps it in its own transaction): each request used to read all 3,000-odd rates.
    /// </summary>
    private static readonly ConditionalWeakTable<NpgsqlDataSource, Rates> Cached = [];

    private sealed record Rates(long Version, Dictionary<(string Currency, DateOnly Month), decimal> UnitsPerUsd);

    private const string VersionAndToday = "select version, (now() at time zone 'Asia/Ho_Chi_Minh')::date from reference_version";

    /// <summary>For a request: the reference, with the projects its rows name resolved.</summary>
    public async Task<LedgerReference> Load(Guid? partnerNgo, IEnumerable<Guid> projectIds, CancellationToken cancellationToken)
    {
        var ids = projectIds.Distinct().ToArray();
        Rates rates;
        DateOnly today;
        List<ProjectInfo> copied;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            long version;
            // The version, today and the projects the copy holds, in one round trip.
            await using (var results = await connection.QueryMultipleAsync($"{VersionAndToday};\n{ProjectCopy.Select}", new { ids }))
            {
                (version, today) = await results.ReadSingleAsync<(long Version, DateOnly Today)>();
                copied = (await results.ReadAsync<ProjectInfo>()).AsList();
            }

            rates = await RatesAt(connection, version);
        }

        // The registry only for a project not copied yet, and without holding a connection.
        var projects = Projects();
        await projects.Resolve(ids, copied, cancellationToken);
        return Reference(partnerNgo, rates, today, projects);
    }

    /// <summary>For an import, which resolves each line's project as it reads it.</summary>
    public async Task<LedgerReference> Load(Guid? partnerNgo, ProjectResolver projects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(projects);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var (version, today) = await connection.QuerySingleAsync<(long Version, DateOnly Today)>(VersionAndToday);
        return Reference(partnerNgo, await RatesAt(connection, version), today, projects);
    }

    /// <summary>An empty set of resolved projects, for <see cref="Load(Guid?, ProjectResolver, CancellationToken)"/>.</summary>
    public ProjectResolver Projects() => new(copy, registry);

    /// <summary>The cached rates, read again when <paramref name="version"/> is not theirs.</summary>
    private async Task<Rates> RatesAt(NpgsqlConnection connection, long version)
    {
        if (!Cached.TryGetValue(dataSource, out var rates) || rates.Version != version)
        {
            // Read after the version: a change committed in between only makes the next request read again.
            var read = await connection.QueryAsync<(string Currency, DateOnly Month, decimal UnitsPerUsd)>("select currency, month, units_per_usd from exchange_rates");
            rates = new Rates(version, read.ToDictionary(r => (r.Currency, r.Month), r => r.UnitsPerUsd));
            Cached.AddOrUpdate(dataSource, rates);
        }

        return rates;
    }

    private static LedgerReference Reference(Guid? partnerNgo, Rates rates, DateOnly today, ProjectResolver projects)
    {
        var reference = ReferenceData.Instance;
        return new LedgerReference
        {
            MinorUnits = reference.Currencies.MinorUnits,
            CurrentProvince = reference.Provinces.CurrentOf,
            MonthlyRate = (currency, month) => rates.UnitsPerUsd.TryGetValue((currency, month), out var rate) ? rate : null,
            Today = today,
            PartnerNgo = partnerNgo,
            Project = projects.Find,
        };
    }
}
