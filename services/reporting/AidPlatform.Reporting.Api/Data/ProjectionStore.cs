using AidPlatform.Reporting.Api.Domain;
using Dapper;
using Npgsql;

namespace AidPlatform.Reporting.Api.Data;

/// <summary>
/// Writes the read models inside a consumer's inbox transaction. Everything that touches one project
/// takes that project's advisory lock first, so a transaction and a project update arriving together
/// never allocate against a stale set of percentages.
/// </summary>
public static class ProjectionStore
{
    private const string LockProject = "select pg_advisory_xact_lock(hashtextextended(@ProjectId::text, 0))";

    /// <summary>Stores the NGO's state unless a newer one is already held.</summary>
    public static async Task UpsertNgo(NpgsqlTransaction transaction, NgoRow ngo)
    {
        const string sql = """
            insert into ngos (id, version, name, country) values (@Id, @Version, @Name, @Country)
            on conflict (id) do update set version = excluded.version, name = excluded.name, country = excluded.country
            where ngos.version < excluded.version
            """;
        await transaction.Connection!.ExecuteAsync(sql, new { ngo.Id, ngo.Version, ngo.Name, ngo.Country }, transaction);
    }

    /// <summary>Stores the project's state unless a newer one is already held, then re-allocates its transactions.</summary>
    public static async Task UpsertProject(NpgsqlTransaction transaction, ProjectRow project)
    {
        const string upsert = """
            insert into projects (id, version, ngo_id, title, status, start_date, end_date, budget_amount, budget_currency)
            values (@ProjectId, @Version, @NgoId, @Title, @Status, @StartDate, @EndDate, @BudgetAmount, @BudgetCurrency)
            on conflict (id) do update set version = excluded.version, ngo_id = excluded.ngo_id, title = excluded.title,
                status = excluded.status, start_date = excluded.start_date, end_date = excluded.end_date,
                budget_amount = excluded.budget_amount, budget_currency = excluded.budget_currency
            where projects.version < excluded.version
            """;
        const string replaceShares = """
            delete from project_sectors where project_id = @ProjectId;
            delete from project_locations where project_id = @ProjectId;
            insert into project_sectors (project_id, sector_code, category_code, percentage)
            select @ProjectId, code, category, pct from unnest(@SectorCodes, @CategoryCodes, @SectorPercentages) as s(code, category, pct);
            insert into project_locations (project_id, province_code, percentage)
            select @ProjectId, code, sum(pct) from unnest(@ProvinceCodes, @LocationPercentages) as l(code, pct) group by code;
            """;

        var connection = transaction.Connection!;
        await connection.ExecuteAsync(LockProject, new { ProjectId = project.Id }, transaction);
        var changed = await connection.ExecuteAsync(upsert, new
        {
            ProjectId = project.Id, project.Version, project.NgoId, project.Title, project.Status,
            project.StartDate, project.EndDate, project.BudgetAmount, project.BudgetCurrency,
        }, transaction);
        if (changed == 0)
        {
            return; // An older state arriving late: what we hold is newer.
        }

        var (sectors, locations) = (project.Shares.Sectors, project.Shares.Locations);
        await connection.ExecuteAsync(replaceShares, new
        {
            ProjectId = project.Id,
            SectorCodes = sectors.Select(s => s.SectorCode).ToArray(),
            CategoryCodes = sectors.Select(s => s.CategoryCode).ToArray(),
            SectorPercentages = sectors.Select(s => s.Percentage).ToArray(),
            ProvinceCodes = locations.Select(l => l.ProvinceCode).ToArray(),
            LocationPercentages = locations.Select(l => l.Percentage).ToArray(),
        }, transaction);
        await Reallocate(transaction, project.Id);
    }

    /// <summary>Stores a ledger row once and allocates it over its project's cells.</summary>
    public static async Task RecordTransaction(NpgsqlTransaction transaction, TransactionRow row)
    {
        const string insert = """
            insert into transactions (id, project_id, ngo_id, type, amount_usd, value_date, province_code, reverses_id, occurred_at)
            values (@Id, @ProjectId, @NgoId, @Type, @AmountUsd, @ValueDate, @ProvinceCode, @ReversesId, @OccurredAt)
            on conflict (id) do nothing
            """;
        var connection = transaction.Connection!;
        await connection.ExecuteAsync(LockProject, new { row.ProjectId }, transaction);
        if (await connection.ExecuteAsync(insert, row, transaction) == 0)
        {
            return;
        }

        var shares = await LoadShares(transaction, row.ProjectId);
        await InsertCells(transaction, [row], shares);
        await Aggregate(transaction, [row.Id], +1);
    }

    /// <summary>Stores a registration certificate once; a redelivery or a second event for it changes nothing.</summary>
    public static async Task RecordRegistration(NpgsqlTransaction transaction, RegistrationRow registration)
    {
        const string sql = """
            insert into registrations (id, ngo_id, kind, issued_on, expires_on, province_codes, sector_categories)
            values (@Id, @NgoId, @Kind, @IssuedOn, @ExpiresOn, @ProvinceCodes, @SectorCategories)
            on conflict (id) do nothing
            """;
        await transaction.Connection!.ExecuteAsync(sql, new
        {
            registration.Id, registration.NgoId, registration.Kind, registration.IssuedOn, registration.ExpiresOn,
            ProvinceCodes = registration.ProvinceCodes.ToArray(), SectorCategories = registration.SectorCategories.ToArray(),
        }, transaction);
    }

    /// <summary>Recomputes the cells of every transaction of a project, after its percentages changed.</summary>
    private static async Task Reallocate(NpgsqlTransaction transaction, Guid projectId)
    {
        const string load = """
            select id, project_id, ngo_id, type, amount_usd, value_date, province_code, reverses_id, occurred_at
            from transactions where project_id = @projectId
            """;
        var connection = transaction.Connection!;
        var rows = (await connection.QueryAsync<TransactionRecord>(load, new { projectId }, transaction))
            .Select(r => r.ToRow()).ToList();
        if (rows.Count == 0)
        {
            return;
        }

        var ids = rows.Select(r => r.Id).ToArray();
        await Aggregate(transaction, ids, -1);
        await connection.ExecuteAsync("delete from cells where project_id = @projectId", new { projectId }, transaction);
        await InsertCells(transaction, rows, await LoadShares(transaction, projectId));
        await Aggregate(transaction, ids, +1);
    }

    /// <summary>
    /// Adds (or, with -1, takes away) the cells of these transactions to the monthly aggregates. Rows are
    /// upserted in key order, so concurrent consumers lock aggregate rows in one order and cannot deadlock.
    /// </summary>
    private static async Task Aggregate(NpgsqlTransaction transaction, Guid[] ids, int sign)
    {
        var sql = string.Concat(new[]
        {
            ("agg_ngo", "ngo_id"), ("agg_project", "project_id"), ("agg_province", "province_code"),
            ("agg_sector", "sector_code"), ("agg_category", "category_code"),
        }.Select(t => $"""
            insert into {t.Item1} (month, type, {t.Item2}, amount_usd, transaction_count)
            select date_trunc('month', value_date)::date, type, {t.Item2}, @Sign * sum(amount_usd), @Sign * count(distinct transaction_id)
            from cells where transaction_id = any(@Ids)
            group by 1, 2, 3
            order by 1, 2, 3
            on conflict (month, type, {t.Item2}) do update
            set amount_usd = {t.Item1}.amount_usd + excluded.amount_usd,
                transaction_count = {t.Item1}.transaction_count + excluded.transaction_count;

            """));
        await transaction.Connection!.ExecuteAsync(sql, new { Ids = ids, Sign = sign }, transaction);
    }

    private static async Task<ProjectShares> LoadShares(NpgsqlTransaction transaction, Guid projectId)
    {
        const string sql = """
            select sector_code, category_code, percentage from project_sectors where project_id = @projectId order by sector_code;
            select province_code, percentage from project_locations where project_id = @projectId order by province_code;
            """;
        await using var grid = await transaction.Connection!.QueryMultipleAsync(sql, new { projectId }, transaction);
        var sectors = (await grid.ReadAsync<(string SectorCode, string CategoryCode, decimal Percentage)>()).ToList();
        var locations = (await grid.ReadAsync<(string ProvinceCode, decimal Percentage)>()).ToList();
        return new ProjectShares(sectors, locations);
    }

    private static async Task InsertCells(NpgsqlTransaction transaction, IReadOnlyList<TransactionRow> rows, ProjectShares shares)
    {
        const string sql = """
            insert into cells (transaction_id, project_id, ngo_id, type, value_date, province_code, sector_code, category_code, amount_usd)
            select * from unnest(@TransactionIds, @ProjectIds, @NgoIds, @Types, @ValueDates, @ProvinceCodes, @SectorCodes, @CategoryCodes, @Amounts)
            """;
        var cells = rows.SelectMany(row => Cells.For(row, shares)).ToList();
        await transaction.Connection!.ExecuteAsync(sql, new
        {
            TransactionIds = cells.Select(c => c.TransactionId).ToArray(),
            ProjectIds = cells.Select(c => c.ProjectId).ToArray(),
            NgoIds = cells.Select(c => c.NgoId).ToArray(),
            Types = cells.Select(c => c.Type).ToArray(),
            ValueDates = cells.Select(c => c.ValueDate).ToArray(),
            ProvinceCodes = cells.Select(c => c.ProvinceCode).ToArray(),
            SectorCodes = cells.Select(c => c.SectorCode).ToArray(),
            CategoryCodes = cells.Select(c => c.CategoryCode).ToArray(),
            Amounts = cells.Select(c => c.AmountUsd).ToArray(),
        }, transaction);
    }

    private sealed record TransactionRecord(Guid Id, Guid ProjectId, Guid NgoId, string Type, decimal AmountUsd, DateOnly ValueDate, string? ProvinceCode, Guid? ReversesId, DateTime OccurredAt)
    {
        public TransactionRow ToRow() => new(Id, ProjectId, NgoId, Type, AmountUsd, ValueDate, ProvinceCode, ReversesId, new DateTimeOffset(OccurredAt, TimeSpan.Zero));
    }
}
