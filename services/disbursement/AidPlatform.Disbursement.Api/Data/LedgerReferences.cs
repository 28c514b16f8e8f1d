using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using AidPlatform.Disbursement.Api.Domain;
using AidPlatform.Reference;
using Dapper;
using Npgsql;

namespace AidPlatform.Disbursement.Api.Data;

/// <summary>
/// Builds the <see cref="LedgerReference"/> rows are validated against, once per request or import: the
/// monthly rates, currencies and province codes (from AidPlatform.Reference, as the seeded tables are),
/// today in Vietnam, and the projects the rows name with their NGOs' certificates.
/// </summary>
public sealed class LedgerReferences(NpgsqlDataSource dataSource, ProjectCopy copy, CertificateCopy certificateCopy, RegistryClient registry)
{
    /// <summary>More projects than any deployment has: past it the remembered ones are forgotten and read again.</summary>
    private const int MaxRemembered = 10_000;

    private const string VersionAndToday = "select version, (now() at time zone 'Asia/Ho_Chi_Minh')::date from reference_version";

    /// <summary>What reads found, per data source (see <see cref="Known"/>).</summary>
    private static readonly ConditionalWeakTable<NpgsqlDataSource, Known> Memory = [];

    private Known Kept => Memory.GetValue(dataSource, _ => new Known());

    /// <summary>
    /// For a request, from memory: the reference as last read, if its project was read before; else null. A row it
    /// accepts is written only while <see cref="Remembered.Stamp"/> holds (see <see cref="LedgerStore"/>); a row it
    /// refuses is judged again on a fresh read (<see cref="Judge"/>), so no
    /// answer rests on memory alone. (Today only moves forward: a row accepted on an older today is accepted today.)
    /// </summary>
    public Remembered? Remember(Guid? partnerNgo, Guid projectId)
    {
        var kept = Kept;
        return kept.Last is { } last && kept.Projects.TryGetValue(projectId, out var project) && kept.Certificates.TryGetValue(project.NgoId, out var certificates)
            ? new Remembered(Reference(partnerNgo, last.Rates, last.Today, id => id == projectId ? project : null, ngo => ngo == project.NgoId ? certificates : []),
                new ReferenceStamp(last.Rates.Version, projectId, project.Version, project.NgoId, CertificateCopy.VersionSum(certificates)))
            : null;
    }

    /// <summary>
    /// For a request: <paramref name="judge"/>'s verdict on the reference, with the projects its rows name resolved
    /// (remembered for the next). When the judge doubts projects (the copy said no to a check against the registry),
    /// the registry is asked for them and their NGOs' certificates, and the judge runs again: its second verdict holds.
    /// </summary>
    public async Task<T> Judge<T>(Guid? partnerNgo, IEnumerable<Guid> projectIds, Func<LedgerReference, ISet<Guid>, T> judge, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(judge);
        var ids = projectIds.Distinct().ToArray();
        Rates rates;
        DateOnly today;
        List<ProjectInfo> copied;
        List<CertificateInfo> certificates;
        await using (var connection = await dataSource.OpenConnectionAsync(cancellationToken))
        {
            long version;
            // The version, today, the projects the copy holds and their NGOs' certificates, in one round trip.
            await using (var results = await connection.QueryMultipleAsync($"{VersionAndToday};\n{ProjectCopy.Select};\n{CertificateCopy.SelectForProjects}", new { ids }))
            {
                (version, today) = await results.ReadSingleAsync<(long Version, DateOnly Today)>();
                copied = (await results.ReadAsync<ProjectCopy.Row>()).Select(r => r.ToInfo()).ToList();
                certificates = (await results.ReadAsync<CertificateCopy.Row>()).Select(r => r.ToInfo()).ToList();
            }

            rates = await RatesAt(connection, version);
        }

        // The registry only for a project not copied yet, and without holding a connection.
        var projects = Projects();
        await projects.Resolve(ids, copied, certificates, cancellationToken);
        Kept.Last = new LastRead(rates, today);
        var reference = Reference(partnerNgo, rates, today, projects.Find, projects.Certificates);
        var doubted = new HashSet<Guid>();
        var verdict = judge(reference, doubted);
        if (doubted.Count > 0 && await projects.Confirm(doubted, cancellationToken))
        {
            verdict = judge(reference, new HashSet<Guid>());
        }

        Keep(ids, projects);
        return verdict;
    }

    /// <summary>For an import, which resolves each line's project as it reads it.</summary>
    public async Task<LedgerReference> Load(Guid? partnerNgo, ProjectResolver projects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(projects);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var (version, today) = await connection.QuerySingleAsync<(long Version, DateOnly Today)>(VersionAndToday);
        var rates = await RatesAt(connection, version);
        Kept.Last = new LastRead(rates, today);
        return Reference(partnerNgo, rates, today, projects.Find, projects.Certificates);
    }

    /// <summary>An empty set of resolved projects, for <see cref="Load(Guid?, ProjectResolver, CancellationToken)"/>.</summary>
    public ProjectResolver Projects() => new(copy, certificateCopy, registry);

    /// <summary>Remembers the projects of a request and their NGOs' certificates, as resolved, for the next request.</summary>
    private void Keep(Guid[] ids, ProjectResolver projects)
    {
        var kept = Kept;
        if (kept.Projects.Count > MaxRemembered)
        {
            kept.Projects.Clear();
            kept.Certificates.Clear();
        }

        foreach (var id in ids)
        {
            if (projects.Find(id) is { } project)
            {
                kept.Projects[id] = project;
                kept.Certificates[project.NgoId] = projects.Certificates(project.NgoId);
            }
        }
    }

    /// <summary>The remembered rates, read again when <paramref name="version"/> is not theirs.</summary>
    private async Task<Rates> RatesAt(NpgsqlConnection connection, long version)
    {
        if (Kept.Last?.Rates is { } rates && rates.Version == version)
        {
            return rates;
        }

        // Read after the version: a change committed in between only makes the next request read again.
        var read = await connection.QueryAsync<(string Currency, DateOnly Month, decimal UnitsPerUsd)>("select currency, month, units_per_usd from exchange_rates");
        return new Rates(version, read.ToDictionary(r => (r.Currency, r.Month), r => r.UnitsPerUsd));
    }

    private static LedgerReference Reference(Guid? partnerNgo, Rates rates, DateOnly today, Func<Guid, ProjectInfo?> project,
        Func<Guid, IReadOnlyList<CertificateInfo>> certificates)
    {
        var reference = ReferenceData.Instance;
        return new LedgerReference
        {
            MinorUnits = reference.Currencies.MinorUnits,
            CurrentProvince = reference.Provinces.CurrentOf,
            MonthlyRate = (currency, month) => rates.UnitsPerUsd.TryGetValue((currency, month), out var rate) ? rate : null,
            Today = today,
            PartnerNgo = partnerNgo,
            Project = project,
            Certificates = certificates,
        };
    }

    /// <summary>The monthly rates as of one reference_version (any rate change bumps it in its own transaction).</summary>
    private sealed record Rates(long Version, Dictionary<(string Currency, DateOnly Month), decimal> UnitsPerUsd);

    private sealed record LastRead(Rates Rates, DateOnly Today);

    /// <summary>
    /// The last read's rates and today, and the projects read so far: each request used to read all 3,000-odd
    /// rates, and a single POST still paid a round trip for the version and its project.
    /// </summary>
    private sealed class Known
    {
        private volatile LastRead? last;

        public LastRead? Last { get => last; set => last = value; }

        public ConcurrentDictionary<Guid, ProjectInfo> Projects { get; } = new();

        /// <summary>Per NGO, its certificates as last read.</summary>
        public ConcurrentDictionary<Guid, IReadOnlyList<CertificateInfo>> Certificates { get; } = new();
    }
}

/// <summary>
/// What a row validated against a remembered reference assumed: the rates' version, its project's, and its NGO's
/// certificates' (the sum of their versions, which any change or new certificate raises).
/// </summary>
public readonly record struct ReferenceStamp(long Version, Guid ProjectId, int ProjectVersion, Guid NgoId, long CertificatesVersion);

/// <summary>A reference from memory, and what it assumed.</summary>
public sealed record Remembered(LedgerReference Reference, ReferenceStamp Stamp);
