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
        var wanted = projectIds.Where(id => !projects.ContainsKey(id)).Distinct().ToArray();
        if (wanted.Length == 0)
        {
            return;
        }

        foreach (var project in await copy.Find(wanted, cancellationToken))
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

    /// <summary>A project resolved before; null when the registry does not know it.</summary>
    public ProjectInfo? Find(Guid id) => projects.GetValueOrDefault(id);
}
