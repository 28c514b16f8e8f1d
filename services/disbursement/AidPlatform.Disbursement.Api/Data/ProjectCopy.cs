using AidPlatform.Disbursement.Api.Clients;
using Dapper;
using Npgsql;

namespace AidPlatform.Disbursement.Api.Domain;

/// <summary>The local copy of a project: the newest version wins, whether it came by event or over HTTP.</summary>
public static class ProjectCopy
{
    public static Task Upsert(NpgsqlConnection connection, NpgsqlTransaction? transaction, RegistryClient.ProjectInfo project) =>
        connection.ExecuteAsync("""
            insert into projects (id, version, ngo_id, status, start_date, end_date) values (@Id, @Version, @NgoId, @Status, @StartDate, @EndDate)
            on conflict (id) do update set version = excluded.version, ngo_id = excluded.ngo_id, status = excluded.status,
                start_date = excluded.start_date, end_date = excluded.end_date, updated_at = now()
            where projects.version < excluded.version
            """, project, transaction);
}
