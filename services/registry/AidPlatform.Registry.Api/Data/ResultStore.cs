using System.Text.Json;
using AidPlatform.Registry.Api.Domain;
using AidPlatform.Registry.Api.Messaging;
using AidPlatform.ServiceDefaults.Errors;
using AidPlatform.ServiceDefaults.Http;
using AidPlatform.ServiceDefaults.Messaging;
using Dapper;
using Npgsql;

namespace AidPlatform.Registry.Api.Data;

/// <summary>
/// Projects' results: every write is checked against its project (dates, locations, and a partner's own NGO)
/// inside the transaction that writes it and its event.
/// </summary>
public sealed class ResultStore(NpgsqlDataSource db)
{
    private const string Columns = "id, version, project_id, ngo_id, type, title, description, indicators::text as indicators, created_at, updated_at";

    /// <summary>Records a result for <paramref name="projectId"/>; a partner (<paramref name="ownNgo"/>) naming another NGO's project gets the 404 of a missing one.</summary>
    public async Task<ResultDto> Record(Guid projectId, ResultFields result, Guid? ownNgo, CancellationToken cancellationToken)
    {
        const string insert = """
            insert into results (id, version, project_id, ngo_id, type, title, description, indicators)
            values (@Id, 1, @ProjectId, @NgoId, @Type, @Title, @Description, @Indicators::jsonb)
            """;
        var id = Guid.CreateVersion7();
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var project = await Project(connection, transaction, projectId, ownNgo) ?? throw new NotFoundException($"Project {projectId} does not exist.");
        ResultRules.CheckAgainstProject(result, project);
        await connection.ExecuteAsync(insert, Parameters(id, projectId, project.NgoId, result), transaction);
        var dto = (await Load(connection, transaction, "where id = @id", new { id })).Single();
        await transaction.Enqueue(Guid.CreateVersion7(), RegistryEvents.ResultRecorded(dto));
        await transaction.CommitAsync(cancellationToken);
        return dto;
    }

    /// <summary>Replaces a result's full state when <paramref name="expected"/> is null or its current version; it never moves to another project.</summary>
    public async Task<ResultDto> Update(Guid id, ResultFields result, int? expected, Guid? ownNgo, CancellationToken cancellationToken)
    {
        const string update = """
            update results set version = version + 1, type = @Type, title = @Title, description = @Description,
                indicators = @Indicators::jsonb, updated_at = now()
            where id = @Id
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var current = await connection.QuerySingleOrDefaultAsync<(Guid ProjectId, Guid NgoId, int Version)?>(
            "select project_id, ngo_id, version from results where id = @id for update", new { id }, transaction);
        // Another NGO's result answers as a missing one, before its version is compared.
        if (current is not { } found || (ownNgo is { } own && found.NgoId != own))
        {
            throw new NotFoundException($"Result {id} does not exist.");
        }

        ETags.Check(expected, found.Version);
        var project = (await Project(connection, transaction, found.ProjectId, ownNgo))!;
        ResultRules.CheckAgainstProject(result, project);
        await connection.ExecuteAsync(update, Parameters(id, found.ProjectId, found.NgoId, result), transaction);
        var dto = (await Load(connection, transaction, "where id = @id", new { id })).Single();
        await transaction.Enqueue(Guid.CreateVersion7(), RegistryEvents.ResultUpdated(dto));
        await transaction.CommitAsync(cancellationToken);
        return dto;
    }

    public async Task<ResultDto?> Find(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return (await Load(connection, null, "where id = @id", new { id })).SingleOrDefault();
    }

    /// <summary>The NGO a result belongs to; null if there is no such result.</summary>
    public async Task<Guid?> OwnerOf(Guid id, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        return await connection.QuerySingleOrDefaultAsync<Guid?>("select ngo_id from results where id = @id", new { id });
    }

    /// <summary>A project's results, oldest first.</summary>
    public async Task<Paged<ResultDto>> ListForProject(Guid projectId, PageRequest paging, CancellationToken cancellationToken)
    {
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        var total = await connection.ExecuteScalarAsync<long>("select count(*) from results where project_id = @projectId", new { projectId });
        var items = await Load(connection, null, "where project_id = @projectId order by created_at, id limit @Limit offset @Offset",
            new { projectId, Limit = paging.PageSize, paging.Offset });
        return new Paged<ResultDto>(items, paging.Page, paging.PageSize, total);
    }

    /// <summary>The project as a result is checked against, locked against a concurrent change; null if missing or another NGO's.</summary>
    private static async Task<ResultProject?> Project(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid projectId, Guid? ownNgo)
    {
        const string sql = """
            select ngo_id, start_date, end_date from projects where id = @projectId for share;
            select province_code from project_locations where project_id = @projectId
            union select current_province_code from project_locations where project_id = @projectId;
            """;
        await using var grid = await connection.QueryMultipleAsync(sql, new { projectId }, transaction);
        var project = await grid.ReadSingleOrDefaultAsync<(Guid NgoId, DateOnly StartDate, DateOnly? EndDate)?>();
        var provinces = (await grid.ReadAsync<string>()).ToHashSet(StringComparer.Ordinal);
        return project is { } p && (ownNgo is null || ownNgo == p.NgoId) ? new ResultProject(p.NgoId, p.StartDate, p.EndDate, provinces) : null;
    }

    /// <summary>A project's results, read in the caller's transaction (a project update checks them against its new dates and provinces).</summary>
    public static Task<List<ResultDto>> OfProject(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid projectId) =>
        Load(connection, transaction, "where project_id = @projectId order by created_at, id", new { projectId });

    private static async Task<List<ResultDto>> Load(NpgsqlConnection connection, NpgsqlTransaction? transaction, string where, object parameters)
    {
        var rows = await connection.QueryAsync<ResultRow>($"select {Columns} from results {where}", parameters, transaction);
        return rows.Select(r => new ResultDto(r.Id, r.ProjectId, r.NgoId, r.Type, r.Title, r.Description,
            JsonSerializer.Deserialize<List<IndicatorDto>>(r.Indicators, JsonSerializerOptions.Web)!, r.Version,
            new DateTimeOffset(r.CreatedAt, TimeSpan.Zero), new DateTimeOffset(r.UpdatedAt, TimeSpan.Zero))).ToList();
    }

    private static object Parameters(Guid id, Guid projectId, Guid ngoId, ResultFields r) => new
    {
        Id = id, ProjectId = projectId, NgoId = ngoId, r.Type, r.Title, r.Description,
        Indicators = JsonSerializer.Serialize(r.Indicators, JsonSerializerOptions.Web),
    };

    private sealed class ResultRow
    {
        public Guid Id { get; init; }
        public int Version { get; init; }
        public Guid ProjectId { get; init; }
        public Guid NgoId { get; init; }
        public string Type { get; init; } = "";
        public string Title { get; init; } = "";
        public string? Description { get; init; }
        public string Indicators { get; init; } = "[]";
        public DateTime CreatedAt { get; init; }
        public DateTime UpdatedAt { get; init; }
    }
}
