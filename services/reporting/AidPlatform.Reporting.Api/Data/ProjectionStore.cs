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

    /// <summary>Stores the project's state (its shares and policy markers replaced as a whole) unless a newer one is already held, then re-allocates its transactions.</summary>
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
            delete from project_policy_markers where project_id = @ProjectId;
            insert into project_policy_markers (project_id, code, significance)
            select @ProjectId, code, max(significance) from unnest(@MarkerCodes, @MarkerSignificances) as m(code, significance) group by code;
            """;

        var connection = transaction.Connection!;
        await LockProjects(transaction, [project.Id]);
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
            MarkerCodes = project.PolicyMarkers.Select(m => m.Code).ToArray(),
            MarkerSignificances = project.PolicyMarkers.Select(m => m.Significance).ToArray(),
        }, transaction);
        await Reallocate(transaction, project.Id);
    }

    /// <summary>
    /// Stores ledger rows once each and allocates them over their projects' cells, set-based: one statement per
    /// step whatever the number of rows. The projects' locks are taken first, in one order. A reversal whose
    /// original is not projected yet is held back, and goes in when its original does (in this call or a later one).
    /// Returns the rows that went in.
    /// </summary>
    public static async Task<IReadOnlyList<TransactionRow>> RecordTransactions(NpgsqlTransaction transaction, IReadOnlyList<TransactionRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return [];
        }

        var unique = rows.DistinctBy(r => r.Id).ToList();
        var originals = unique.Where(r => r.ReversesId is null).ToList();
        var projectIds = unique.Select(r => r.ProjectId).Distinct().ToArray();
        // One round trip: the projects' locks in one order; the originals (first, so that a reversal in the same
        // batch finds its own); the held reversals they release; which originals of the batch's reversals are
        // in; the projects' shares.
        const string first = $"""
            {LockInOrder};
            insert into transactions ({TransactionColumns})
            select * from unnest(@Ids, @RowProjectIds, @NgoIds, @Types, @Amounts, @ValueDates, @ProvinceCodes, @ReversesIds, @OccurredAts)
            on conflict (id) do nothing
            returning id;
            delete from held_reversals where reverses_id = any(@Ids) returning {TransactionColumns};
            select id from transactions where id = any(@ReversedIds);
            {SharesOf}
            """;
        var parameters = Columns(originals);
        parameters.Add("ProjectIds", projectIds);
        parameters.Add("ReversedIds", unique.Where(r => r.ReversesId is not null).Select(r => r.ReversesId!.Value).Distinct().ToArray());
        await using var grid = await transaction.Connection!.QueryMultipleAsync(first, parameters, transaction);
        await grid.ReadAsync<object>();
        var inserted = (await grid.ReadAsync<Guid>()).ToHashSet();
        var released = (await grid.ReadAsync<TransactionRecord>()).Select(r => r.ToRow()).ToList();
        var present = (await grid.ReadAsync<Guid>()).ToHashSet();
        var shares = await ReadShares(grid, projectIds);
        await grid.DisposeAsync();

        var projected = originals.Where(r => inserted.Contains(r.Id)).ToList();
        // A released reversal's original has just gone in.
        present.UnionWith(released.Select(r => r.ReversesId!.Value));
        var reversals = unique.Where(r => r.ReversesId is not null).Concat(released).DistinctBy(r => r.Id).ToList();
        projected.AddRange(await InsertAndHold(transaction,
            [.. reversals.Where(r => present.Contains(r.ReversesId!.Value))],
            [.. reversals.Where(r => !present.Contains(r.ReversesId!.Value))]));

        var cells = projected.SelectMany(row => Cells.For(row, shares[row.ProjectId])).ToList();
        await WriteCells(transaction, cells, MonthlyTotals.Merge(MonthlyTotals.Of(cells, +1)));
        return projected;
    }

    /// <summary>Stores a registration certificate once; a redelivery or a second event for it changes nothing.</summary>
    public static async Task RecordRegistration(NpgsqlTransaction transaction, RegistrationRow registration)
    {
        ArgumentNullException.ThrowIfNull(registration);
        // The recording and each later change carry the full state; an older version arriving late changes nothing.
        const string sql = """
            insert into registrations (id, ngo_id, kind, issued_on, expires_on, province_codes, sector_categories, version, status)
            values (@Id, @NgoId, @Kind, @IssuedOn, @ExpiresOn, @ProvinceCodes, @SectorCategories, @Version, @Status)
            on conflict (id) do update set expires_on = excluded.expires_on, province_codes = excluded.province_codes,
                sector_categories = excluded.sector_categories, version = excluded.version, status = excluded.status
            where registrations.version < excluded.version
            """;
        await transaction.Connection!.ExecuteAsync(sql, new
        {
            registration.Id, registration.NgoId, registration.Kind, registration.IssuedOn, registration.ExpiresOn,
            ProvinceCodes = registration.ProvinceCodes.ToArray(), SectorCategories = registration.SectorCategories.ToArray(),
            registration.Version, registration.Status,
        }, transaction);
    }

    /// <summary>
    /// Keeps the tightest expiry notice the registry sent for a certificate's current expiry date (a notice for an
    /// expiry since extended, or a looser one arriving late, changes nothing). The certificate may not be here yet.
    /// </summary>
    public static async Task RecordExpiryNotice(NpgsqlTransaction transaction, Guid registrationId, DateOnly expiresOn, int daysBefore)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        const string sql = """
            update registrations set notice_days_before = @daysBefore, notice_expires_on = @expiresOn
            where id = @registrationId and expires_on = @expiresOn
              and (notice_expires_on is distinct from @expiresOn or notice_days_before > @daysBefore)
            """;
        await transaction.Connection!.ExecuteAsync(sql, new { registrationId, expiresOn, daysBefore }, transaction);
    }

    /// <summary>
    /// Stores a result's state unless the same or a newer version is already held: the result row, then its
    /// indicators, references and periods replaced as a whole. The upsert's row lock orders two states of one result.
    /// </summary>
    public static async Task UpsertResult(NpgsqlTransaction transaction, ResultRow result)
    {
        ArgumentNullException.ThrowIfNull(result);
        const string upsert = """
            insert into results (id, version, project_id, ngo_id, type, title, description)
            values (@Id, @Version, @ProjectId, @NgoId, @Type, @Title, @Description)
            on conflict (id) do update set version = excluded.version, project_id = excluded.project_id, ngo_id = excluded.ngo_id,
                type = excluded.type, title = excluded.title, description = excluded.description
            where results.version < excluded.version
            """;
        const string replaceIndicators = """
            delete from result_indicators where result_id = @Id;
            insert into result_indicators (result_id, indicator_no, title, description, measure, ascending, baseline_year, baseline_value, baseline_comment)
            select @Id, * from unnest(@IndicatorNos, @Titles, @Descriptions, @Measures, @Ascendings, @BaselineYears, @BaselineValues, @BaselineComments);
            insert into indicator_references (result_id, indicator_no, vocabulary, code)
            select distinct @Id, * from unnest(@ReferenceIndicatorNos, @Vocabularies, @Codes);
            insert into indicator_periods (result_id, indicator_no, period_no, start_date, end_date, target_value, target_comment, actual_value, actual_comment, province_code)
            select @Id, * from unnest(@PeriodIndicatorNos, @PeriodNos, @Starts, @Ends, @TargetValues, @TargetComments, @ActualValues, @ActualComments, @PeriodProvinceCodes);
            """;

        var connection = transaction.Connection!;
        var changed = await connection.ExecuteAsync(upsert, new
        {
            result.Id, result.Version, result.ProjectId, result.NgoId, result.Type, result.Title, result.Description,
        }, transaction);
        if (changed == 0)
        {
            return; // The same or an older state arriving late: what we hold is at least as new.
        }

        var indicators = result.Indicators.Select((indicator, no) => (Indicator: indicator, No: no)).ToList();
        var references = indicators.SelectMany(i => i.Indicator.References.Select(r => (i.No, r.Vocabulary, r.Code))).ToList();
        var periods = indicators.SelectMany(i => i.Indicator.Periods.Select((p, no) => (IndicatorNo: i.No, No: no, Period: p))).ToList();
        await connection.ExecuteAsync(replaceIndicators, new
        {
            result.Id,
            IndicatorNos = indicators.Select(i => i.No).ToArray(),
            Titles = indicators.Select(i => i.Indicator.Title).ToArray(),
            Descriptions = indicators.Select(i => i.Indicator.Description).ToArray(),
            Measures = indicators.Select(i => i.Indicator.Measure).ToArray(),
            Ascendings = indicators.Select(i => i.Indicator.Ascending).ToArray(),
            BaselineYears = indicators.Select(i => i.Indicator.BaselineYear).ToArray(),
            BaselineValues = indicators.Select(i => i.Indicator.BaselineValue).ToArray(),
            BaselineComments = indicators.Select(i => i.Indicator.BaselineComment).ToArray(),
            ReferenceIndicatorNos = references.Select(r => r.No).ToArray(),
            Vocabularies = references.Select(r => r.Vocabulary).ToArray(),
            Codes = references.Select(r => r.Code).ToArray(),
            PeriodIndicatorNos = periods.Select(p => p.IndicatorNo).ToArray(),
            PeriodNos = periods.Select(p => p.No).ToArray(),
            Starts = periods.Select(p => p.Period.Start).ToArray(),
            Ends = periods.Select(p => p.Period.End).ToArray(),
            TargetValues = periods.Select(p => p.Period.TargetValue).ToArray(),
            TargetComments = periods.Select(p => p.Period.TargetComment).ToArray(),
            ActualValues = periods.Select(p => p.Period.ActualValue).ToArray(),
            ActualComments = periods.Select(p => p.Period.ActualComment).ToArray(),
            PeriodProvinceCodes = periods.Select(p => p.Period.ProvinceCode).ToArray(),
        }, transaction);
    }

    /// <summary>Recomputes the cells of every transaction of a project, after its percentages changed.</summary>
    private static async Task Reallocate(NpgsqlTransaction transaction, Guid projectId)
    {
        const string load = $"""
            select {TransactionColumns} from transactions where project_id = @projectId;
            select transaction_id, project_id, ngo_id, type, value_date, province_code, sector_code, category_code, amount_usd
            from cells where project_id = @projectId;
            {SharesOf}
            """;
        var connection = transaction.Connection!;
        await using var grid = await connection.QueryMultipleAsync(load, new { projectId, ProjectIds = new[] { projectId } }, transaction);
        var rows = (await grid.ReadAsync<TransactionRecord>()).Select(r => r.ToRow()).ToList();
        var before = (await grid.ReadAsync<Cell>()).ToList();
        var shares = (await ReadShares(grid, [projectId]))[projectId];
        if (rows.Count == 0)
        {
            return;
        }

        var after = rows.SelectMany(row => Cells.For(row, shares)).ToList();
        await WriteCells(transaction, after, MonthlyTotals.Merge(MonthlyTotals.Of(before, -1).Concat(MonthlyTotals.Of(after, +1))), replacing: projectId);
    }

    private const string TransactionColumns = "id, project_id, ngo_id, type, amount_usd, value_date, province_code, reverses_id, occurred_at";

    /// <summary>Takes the projects' advisory locks in one order (by hash), so two batches sharing projects cannot deadlock.</summary>
    private const string LockInOrder = """
        select pg_advisory_xact_lock(k) from (select distinct hashtextextended(id::text, 0) as k from unnest(@ProjectIds) as id order by 1) locks
        """;

    private static Task<int> LockProjects(NpgsqlTransaction transaction, Guid[] projectIds) =>
        transaction.Connection!.ExecuteAsync(LockInOrder, new { ProjectIds = projectIds }, transaction);

    /// <summary>Inserts the reversals whose originals are in and holds back the others; returns those that went in.</summary>
    private static async Task<List<TransactionRow>> InsertAndHold(NpgsqlTransaction transaction, List<TransactionRow> ready, List<TransactionRow> held)
    {
        if (ready.Count == 0 && held.Count == 0)
        {
            return [];
        }

        const string sql = $"""
            insert into transactions ({TransactionColumns})
            select * from unnest(@Ids, @RowProjectIds, @NgoIds, @Types, @Amounts, @ValueDates, @ProvinceCodes, @ReversesIds, @OccurredAts)
            on conflict (id) do nothing
            returning id;
            insert into held_reversals ({TransactionColumns})
            select * from unnest(@HeldIds, @HeldRowProjectIds, @HeldNgoIds, @HeldTypes, @HeldAmounts, @HeldValueDates, @HeldProvinceCodes, @HeldReversesIds, @HeldOccurredAts)
            on conflict (id) do nothing;
            """;
        var parameters = Columns(ready);
        parameters.AddDynamicParams(Columns(held, "Held"));
        var inserted = (await transaction.Connection!.QueryAsync<Guid>(sql, parameters, transaction)).ToHashSet();
        return ready.Where(r => inserted.Contains(r.Id)).ToList();
    }

    /// <summary>The rows as one array per column, named <c>{prefix}Ids</c>, <c>{prefix}RowProjectIds</c> and so on.</summary>
    private static DynamicParameters Columns(IReadOnlyList<TransactionRow> rows, string prefix = "")
    {
        var parameters = new DynamicParameters();
        parameters.Add($"{prefix}Ids", rows.Select(r => r.Id).ToArray());
        parameters.Add($"{prefix}RowProjectIds", rows.Select(r => r.ProjectId).ToArray());
        parameters.Add($"{prefix}NgoIds", rows.Select(r => r.NgoId).ToArray());
        parameters.Add($"{prefix}Types", rows.Select(r => r.Type).ToArray());
        parameters.Add($"{prefix}Amounts", rows.Select(r => r.AmountUsd).ToArray());
        parameters.Add($"{prefix}ValueDates", rows.Select(r => r.ValueDate).ToArray());
        parameters.Add($"{prefix}ProvinceCodes", rows.Select(r => r.ProvinceCode).ToArray());
        parameters.Add($"{prefix}ReversesIds", rows.Select(r => r.ReversesId).ToArray());
        parameters.Add($"{prefix}OccurredAts", rows.Select(r => r.OccurredAt.UtcDateTime).ToArray());
        return parameters;
    }

    /// <summary>
    /// Writes cells (in place of a project's old ones when <paramref name="replacing"/> names it) and applies the
    /// changes to the five monthly aggregate tables, one statement each in the order given, in one round trip.
    /// </summary>
    private static async Task WriteCells(NpgsqlTransaction transaction, List<Cell> cells, IReadOnlyList<AggregateDelta> deltas, Guid? replacing = null)
    {
        var sql = new System.Text.StringBuilder();
        var parameters = new DynamicParameters();
        if (replacing is { } project)
        {
            sql.AppendLine("delete from cells where project_id = @Replacing;");
            parameters.Add("Replacing", project);
        }

        if (cells.Count > 0)
        {
            sql.AppendLine("""
                insert into cells (transaction_id, project_id, ngo_id, type, value_date, province_code, sector_code, category_code, amount_usd)
                select * from unnest(@CellTransactionIds, @CellProjectIds, @CellNgoIds, @CellTypes, @CellValueDates, @CellProvinceCodes, @CellSectorCodes, @CellCategoryCodes, @CellAmounts);
                """);
            parameters.AddDynamicParams(new
            {
                CellTransactionIds = cells.Select(c => c.TransactionId).ToArray(),
                CellProjectIds = cells.Select(c => c.ProjectId).ToArray(),
                CellNgoIds = cells.Select(c => c.NgoId).ToArray(),
                CellTypes = cells.Select(c => c.Type).ToArray(),
                CellValueDates = cells.Select(c => c.ValueDate).ToArray(),
                CellProvinceCodes = cells.Select(c => c.ProvinceCode).ToArray(),
                CellSectorCodes = cells.Select(c => c.SectorCode).ToArray(),
                CellCategoryCodes = cells.Select(c => c.CategoryCode).ToArray(),
                CellAmounts = cells.Select(c => c.AmountUsd).ToArray(),
            });
        }

        foreach (var (dimension, i) in MonthlyTotals.Dimensions.Select((d, i) => (d, i)))
        {
            var part = deltas.Where(d => d.Dimension == dimension).ToList();
            if (part.Count == 0)
            {
                continue;
            }

            var (table, column, cast) = AggregateTables[dimension];
            // with ordinality keeps the rows in the order given: the order every writer locks them in.
            sql.Append($"""
                insert into {table} (month, type, {column}, amount_usd, transaction_count)
                select m, t, k{cast}, a, n from unnest(@Months{i}, @Types{i}, @Keys{i}, @Amounts{i}, @Counts{i}) with ordinality as d(m, t, k, a, n, i)
                order by i
                on conflict (month, type, {column}) do update
                set amount_usd = {table}.amount_usd + excluded.amount_usd,
                    transaction_count = {table}.transaction_count + excluded.transaction_count;

                """);
            parameters.Add($"Months{i}", part.Select(d => d.Month).ToArray());
            parameters.Add($"Types{i}", part.Select(d => d.Type).ToArray());
            parameters.Add($"Keys{i}", part.Select(d => d.Key).ToArray());
            parameters.Add($"Amounts{i}", part.Select(d => d.AmountUsd).ToArray());
            parameters.Add($"Counts{i}", part.Select(d => d.TransactionCount).ToArray());
        }

        if (sql.Length > 0)
        {
            await transaction.Connection!.ExecuteAsync(sql.ToString(), parameters, transaction);
        }
    }

    private static readonly Dictionary<string, (string Table, string Column, string Cast)> AggregateTables = new()
    {
        ["ngo"] = ("agg_ngo", "ngo_id", "::uuid"),
        ["project"] = ("agg_project", "project_id", "::uuid"),
        ["province"] = ("agg_province", "province_code", ""),
        ["sector"] = ("agg_sector", "sector_code", ""),
        ["category"] = ("agg_category", "category_code", ""),
    };

    private const string SharesOf = """
        select project_id, sector_code, category_code, percentage from project_sectors where project_id = any(@ProjectIds) order by project_id, sector_code;
        select project_id, province_code, percentage from project_locations where project_id = any(@ProjectIds) order by project_id, province_code;
        """;

    private static async Task<Dictionary<Guid, ProjectShares>> ReadShares(SqlMapper.GridReader grid, Guid[] projectIds)
    {
        var sectors = (await grid.ReadAsync<(Guid ProjectId, string SectorCode, string CategoryCode, decimal Percentage)>()).ToLookup(s => s.ProjectId);
        var locations = (await grid.ReadAsync<(Guid ProjectId, string ProvinceCode, decimal Percentage)>()).ToLookup(l => l.ProjectId);
        return projectIds.ToDictionary(id => id, id => new ProjectShares(
            [.. sectors[id].Select(s => (s.SectorCode, s.CategoryCode, s.Percentage))],
            [.. locations[id].Select(l => (l.ProvinceCode, l.Percentage))]));
    }

    private sealed record TransactionRecord(Guid Id, Guid ProjectId, Guid NgoId, string Type, decimal AmountUsd, DateOnly ValueDate, string? ProvinceCode, Guid? ReversesId, DateTime OccurredAt)
    {
        public TransactionRow ToRow() => new(Id, ProjectId, NgoId, Type, AmountUsd, ValueDate, ProvinceCode, ReversesId, new DateTimeOffset(OccurredAt, TimeSpan.Zero));
    }
}
