using AidPlatform.Disbursement.Api.Domain;

namespace AidPlatform.Disbursement.Api.Data;

/// <summary>
/// The projects a request or an import names: the local copy first, then the registry for one not seen yet
/// (kept in the copy). Each is asked for once; the rules then read <see cref="Find"/>.
/// </summary>
public sealed class ProjectResolver(ProjectCopy copy, RegistryClient registry)
{
    private readonly Dictionary<Guid, ProjectInfo?> projects = [];

    public async Task Resolve(IEnumerable<Guid> projectIds, CancellationToken cancellationToken)
    {
        var wanted = Unresolved(projectIds);
        if (wanted.Length > 0)
        {
            await Fetch(wanted, await copy.Find(wanted, cancellationToken), cancellationToken);
        }
    }

    /// <summary>As <see cref="Resolve(IEnumerable{Guid}, CancellationToken)"/>, with what the caller already read from the copy for them.</summary>
    public Task Resolve(IEnumerable<Guid> projectIds, IEnumerable<ProjectInfo> copied, CancellationToken cancellationToken) =>
        Fetch(Unresolved(projectIds), copied, cancellationToken);

    /// <summary>A project resolved before; null when the registry does not know it.</summary>
    public ProjectInfo? Find(Guid id) => projects.GetValueOrDefault(id);

    private Guid[] Unresolved(IEnumerable<Guid> projectIds) => projectIds.Where(id => !projects.ContainsKey(id)).Distinct().ToArray();

    /// <summary>Takes those of <paramref name="wanted"/> the copy holds, and asks the registry for the others.</summary>
    private async Task Fetch(Guid[] wanted, IEnumerable<ProjectInfo> copied, CancellationToken cancellationToken)
    {
        foreach (var project in copied)
        {
            projects[project.Id] = project;
        }

        foreach (var id in wanted.Where(id => !projects.ContainsKey(id)))
        {
            var fetched = await registry.GetProject(id, cancellationToken);
            projects[id] = fetched;
            if (fetched is not null)
            {
                await copy.Keep(fetched, cancellationToken);
            }
        }
    }
}
