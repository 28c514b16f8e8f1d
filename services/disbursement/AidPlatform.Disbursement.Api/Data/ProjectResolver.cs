using AidPlatform.Disbursement.Api.Domain;

namespace AidPlatform.Disbursement.Api.Data;

/// <summary>
/// The projects a request or an import names, and their NGOs' certificates: the local copy first, then the registry
/// for a project not seen yet (kept in the copy). Each is asked for once; the rules then read <see cref="Find"/> and
/// <see cref="Certificates"/>. When the copy says no (<see cref="Confirm"/>), the registry is asked once per project
/// and per NGO, its answers kept in the copy (the newest version wins): a copy fed by events that lag behind the
/// registry (an approval just given, a certificate just reinstated) never refuses a row the registry would accept.
/// </summary>
public sealed class ProjectResolver(ProjectCopy copy, CertificateCopy certificateCopy, RegistryClient registry)
{
    private readonly Dictionary<Guid, ProjectInfo?> projects = [];

    private readonly Dictionary<Guid, IReadOnlyList<CertificateInfo>> certificates = [];

    private readonly HashSet<Guid> confirmedProjects = [];

    private readonly HashSet<Guid> confirmedNgos = [];

    public async Task Resolve(IEnumerable<Guid> projectIds, CancellationToken cancellationToken)
    {
        var wanted = Unresolved(projectIds);
        if (wanted.Length > 0)
        {
            await Fetch(wanted, await copy.Find(wanted, cancellationToken), null, cancellationToken);
        }
    }

    /// <summary>
    /// As <see cref="Resolve(IEnumerable{Guid}, CancellationToken)"/>, with what the caller already read from the copy for
    /// them: the projects, and the certificates of their NGOs.
    /// </summary>
    public Task Resolve(IEnumerable<Guid> projectIds, IEnumerable<ProjectInfo> copied, IEnumerable<CertificateInfo>? copiedCertificates,
        CancellationToken cancellationToken) =>
        Fetch(Unresolved(projectIds), copied, copiedCertificates, cancellationToken);

    /// <summary>A project resolved before; null when the registry does not know it.</summary>
    public ProjectInfo? Find(Guid id) => projects.GetValueOrDefault(id);

    /// <summary>The certificates of the NGO of a project resolved before.</summary>
    public IReadOnlyList<CertificateInfo> Certificates(Guid ngoId) => certificates.GetValueOrDefault(ngoId) ?? [];

    /// <summary>
    /// Asks the registry for those of <paramref name="projectIds"/> not asked before, and for their NGOs' certificates;
    /// keeps the answers. True when anything was asked, so that a refused row is worth judging again.
    /// </summary>
    public async Task<bool> Confirm(IEnumerable<Guid> projectIds, CancellationToken cancellationToken)
    {
        var asked = false;
        foreach (var id in projectIds.Distinct().ToList())
        {
            if (confirmedProjects.Add(id))
            {
                asked = true;
                if (await registry.GetProject(id, cancellationToken) is { } fetched)
                {
                    await copy.Keep(fetched, cancellationToken);
                    projects[id] = Find(id) is { } held && held.Version > fetched.Version ? held : fetched;
                }
            }

            if (Find(id) is { } project && confirmedNgos.Add(project.NgoId))
            {
                asked = true;
                var fetchedCertificates = await registry.GetCertificates(project.NgoId, cancellationToken);
                await certificateCopy.Keep(fetchedCertificates, cancellationToken);
                certificates[project.NgoId] = Certificates(project.NgoId).Concat(fetchedCertificates)
                    .GroupBy(c => c.Id).Select(g => g.MaxBy(c => c.Version)!).ToList();
            }
        }

        return asked;
    }

    private Guid[] Unresolved(IEnumerable<Guid> projectIds) => projectIds.Where(id => !projects.ContainsKey(id)).Distinct().ToArray();

    /// <summary>
    /// Takes those of <paramref name="wanted"/> the copy holds, and asks the registry for the others; then the copy's
    /// certificates of any NGO not seen yet.
    /// </summary>
    private async Task Fetch(Guid[] wanted, IEnumerable<ProjectInfo> copied, IEnumerable<CertificateInfo>? copiedCertificates, CancellationToken cancellationToken)
    {
        var held = copied.ToList();
        foreach (var project in held)
        {
            projects[project.Id] = project;
        }

        if (copiedCertificates is not null)
        {
            // The caller read all the certificates of these projects' NGOs: one with none holds none.
            var read = copiedCertificates.ToLookup(c => c.NgoId);
            foreach (var ngo in held.Select(p => p.NgoId).Distinct())
            {
                certificates.TryAdd(ngo, read[ngo].ToList());
            }
        }

        foreach (var id in wanted.Where(id => !projects.ContainsKey(id)))
        {
            var fetched = await registry.GetProject(id, cancellationToken);
            projects[id] = fetched;
            if (fetched is not null)
            {
                confirmedProjects.Add(id);
                await copy.Keep(fetched, cancellationToken);
            }
        }

        // NGOs the caller's read did not cover (projects fetched just now, or a caller that read none): one read for all.
        var ngos = wanted.Select(Find).OfType<ProjectInfo>().Select(p => p.NgoId).Where(n => !certificates.ContainsKey(n)).Distinct().ToArray();
        if (ngos.Length > 0)
        {
            var read = (await certificateCopy.Find(ngos, cancellationToken)).ToLookup(c => c.NgoId);
            foreach (var ngo in ngos)
            {
                certificates[ngo] = read[ngo].ToList();
            }
        }
    }
}
