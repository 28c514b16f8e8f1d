using AidPlatform.Disbursement.Api.Domain;
using Dapper;
using Npgsql;

namespace AidPlatform.Disbursement.Api.Data;

/// <summary>The local copy of the registry's projects: the newest version wins, whether it came by event or over HTTP.</summary>
public sealed class ProjectCopy(NpgsqlDataSource dataSource)
{
    // A project copied before its provinces were (migration 0006) takes the registry's answer even at the same version.
    private const string Upsert = """
        insert into projects (id, version, ngo_id, status, start_date, end_date, approval_state, current_province_codes)
        values (@Id, @Version, @NgoId, @Status, @StartDate, @EndDate, @ApprovalState, @Provinces)
        on conflict (id) do update set version = excluded.version, ngo_id = excluded.ngo_id, status = excluded.status,
            start_date = excluded.start_date, end_date = excluded.end_date, approval_state = excluded.approval_state,
            current_province_codes = excluded.current_province_codes, updated_at = now()
        where projects.version < excluded.version or projects.current_province_codes is null
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

    /// <summary>
    /// Those of <c>@ids</c> the copy holds (as <see cref="Row"/>), for a caller that sends it with other reads. One
    /// copied before its provinces were is not held: the registry is asked for it again.
    /// </summary>
    public const string Select = """
        select id, ngo_id, status, start_date, end_date, version, approval_state, current_province_codes as provinces
        from projects where id = any(@ids) and current_province_codes is not null
        """;

    /// <summary>Those of <paramref name="ids"/> the copy holds.</summary>
    public async Task<IEnumerable<ProjectInfo>> Find(Guid[] ids, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<Row>(Select, new { ids })).Select(r => r.ToInfo());
    }

    /// <summary>The NGO of a project as the copy knows it; null for one not copied (yet).</summary>
    public async Task<Guid?> NgoOf(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return await connection.ExecuteScalarAsync<Guid?>("select ngo_id from projects where id = @id", new { id });
    }

    /// <summary>A row of <see cref="Select"/>.</summary>
    public sealed class Row
    {
        public Guid Id { get; init; }
        public Guid NgoId { get; init; }
        public string Status { get; init; } = "";
        public DateOnly StartDate { get; init; }
        public DateOnly? EndDate { get; init; }
        public int Version { get; init; }
        public string ApprovalState { get; init; } = "";
        public string[] Provinces { get; init; } = [];

        public ProjectInfo ToInfo() => new(Id, NgoId, Status, StartDate, EndDate, Version, ApprovalState, Provinces);
    }
}
