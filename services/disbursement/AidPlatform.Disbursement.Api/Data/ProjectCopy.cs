using AidPlatform.Disbursement.Api.Domain;
using Dapper;
using Npgsql;

namespace AidPlatform.Disbursement.Api.Data;

/// <summary>The local copy of the registry's projects: the newest version wins, whether it came by event or over HTTP.</summary>
public sealed class ProjectCopy(NpgsqlDataSource dataSource)
{
    private const string Upsert = """
        insert into projects (id, version, ngo_id, status, start_date, end_date) values (@Id, @Version, @NgoId, @Status, @StartDate, @EndDate)
        on conflict (id) do update set version = excluded.version, ngo_id = excluded.ngo_id, status = excluded.status,
            start_date = excluded.start_date, end_date = excluded.end_date, updated_at = now()
        where projects.version < excluded.version
        """;

    /// <summary>Keeps <paramref name="project"/> inside the caller's transaction (a consumer's, with its inbox row).</summary>
    public static Task Keep(NpgsqlTransaction transaction, ProjectInfo project)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return transaction.Connection!.ExecuteAsync(Upsert, project, transaction);
    }

    /// <summary>Keeps a project fetched from the registry.</summary>
    public async Task Keep(ProjectInfo project, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(Upsert, project);
    }

    /// <summary>Those of <c>@ids</c> the copy holds, for a caller that sends it with other reads.</summary>
    public const string Select = "select id, ngo_id, status, start_date, end_date, version from projects where id = any(@ids)";

    /// <summary>Those of <paramref name="ids"/> the copy holds.</summary>
    public async Task<IEnumerable<ProjectInfo>> Find(Guid[] ids, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.QueryAsync<ProjectInfo>(Select, new { ids });
    }

    /// <summary>The NGO of a project as the copy knows it; null for one not copied (yet).</summary>
    public async Task<Guid?> NgoOf(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<Guid?>("select ngo_id from projects where id = @id", new { id });
    }
}
