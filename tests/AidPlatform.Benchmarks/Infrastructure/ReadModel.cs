using System.Diagnostics;
using Dapper;

namespace AidPlatform.Benchmarks.Infrastructure;

/// <summary>Reporting's read model, set level with the ledger without replaying its events.</summary>
internal static class ReadModel
{
    /// <summary>
    /// Fills reporting's read model from the ledger in SQL, as the projection would leave it (a transaction in
    /// its own province or its project's, in its project's one sector, whole), instead of replaying events
    /// that earlier scenarios dropped: the projection's speed is measured elsewhere. Run while reporting is stopped.
    /// </summary>
    public static async Task SeedFromLedger(BenchEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        const string seed = """
            truncate reporting.cells, reporting.transactions, reporting.agg_ngo, reporting.agg_project, reporting.agg_province,
                     reporting.agg_sector, reporting.agg_category;
            insert into reporting.transactions (id, project_id, ngo_id, type, amount_usd, value_date, province_code, reverses_id, occurred_at)
            select id, project_id, ngo_id, type, amount_usd, value_date, current_province_code, reverses_id, recorded_at
            from disbursement.disbursements;
            insert into reporting.cells (transaction_id, project_id, ngo_id, type, value_date, province_code, sector_code, category_code, amount_usd)
            select t.id, t.project_id, t.ngo_id, t.type, t.value_date, coalesce(t.province_code, l.province_code), s.sector_code, s.category_code, t.amount_usd
            from reporting.transactions t
            join reporting.project_locations l on l.project_id = t.project_id
            join reporting.project_sectors s on s.project_id = t.project_id
            where t.amount_usd <> 0;
            insert into reporting.agg_ngo select date_trunc('month', value_date)::date, type, ngo_id, sum(amount_usd), count(distinct transaction_id) from reporting.cells group by 1, 2, 3;
            insert into reporting.agg_project select date_trunc('month', value_date)::date, type, project_id, sum(amount_usd), count(distinct transaction_id) from reporting.cells group by 1, 2, 3;
            insert into reporting.agg_province select date_trunc('month', value_date)::date, type, province_code, sum(amount_usd), count(distinct transaction_id) from reporting.cells group by 1, 2, 3;
            insert into reporting.agg_sector select date_trunc('month', value_date)::date, type, sector_code, sum(amount_usd), count(distinct transaction_id) from reporting.cells group by 1, 2, 3;
            insert into reporting.agg_category select date_trunc('month', value_date)::date, type, category_code, sum(amount_usd), count(distinct transaction_id) from reporting.cells group by 1, 2, 3;
            """;
        // Secondary indexes are dropped for the load and rebuilt from their own definitions: one sort each
        // instead of a million insertions each.
        const string indexes = """
            select format('drop index reporting.%I', indexname) as drop_index, indexdef as create_index from pg_indexes
            where schemaname = 'reporting' and tablename in ('cells', 'transactions') and indexname not like '%pkey'
            """;
        var start = Stopwatch.GetTimestamp();
        await using (var connection = await environment.Admin.OpenConnectionAsync())
        {
            await using var transaction = await connection.BeginTransactionAsync();
            var secondary = (await connection.QueryAsync<(string Drop, string Create)>(indexes, transaction: transaction)).AsList();
            await connection.ExecuteAsync(string.Join(";\n", secondary.Select(i => i.Drop)), transaction: transaction);
            await connection.ExecuteAsync(seed, transaction: transaction, commandTimeout: 0);
            await connection.ExecuteAsync(string.Join(";\n", secondary.Select(i => i.Create)), transaction: transaction, commandTimeout: 0);
            await transaction.CommitAsync();
            await connection.ExecuteAsync("vacuum analyze disbursement.disbursements; analyze reporting.cells; analyze reporting.transactions", commandTimeout: 0);
        }

        Stats.Progress($"read model seeded from {await environment.Scalar("select count(*) from reporting.transactions"):N0} ledger rows in {Stopwatch.GetElapsedTime(start).TotalSeconds:0} s");
    }
}
