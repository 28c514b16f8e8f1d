using System.Globalization;
using AidPlatform.Testing;
using Dapper;
using Npgsql;

namespace AidPlatform.Deploy.Tests;

/// <summary>
/// deploy/local/backup and deploy/local/restore on a throwaway PostgreSQL of their own (the shared server is
/// never restarted): a point-in-time restore brings back exactly what was committed by the instant asked for.
/// </summary>
public sealed class Backup_and_restore
{
    private static int SourcePort => Port("AIDP_BACKUP_TEST_SOURCE_PORT", 55441);

    private static int RestorePort => Port("AIDP_BACKUP_TEST_RESTORE_PORT", 55442);

    [Test]
    public async Task A_restore_to_an_instant_holds_every_entry_committed_before_it_and_none_after()
    {
        foreach (var port in new[] { SourcePort, RestorePort })
        {
            Assert.That(Listening(port), Is.False, $"port {port} is taken: stop what listens there, or set AIDP_BACKUP_TEST_SOURCE_PORT / AIDP_BACKUP_TEST_RESTORE_PORT");
        }

        var directory = Scratch.NewDirectory("backup");
        var source = Path.Combine(directory, "source");
        var restored = Path.Combine(directory, "restored");
        var backups = Path.Combine(directory, "backup");
        try
        {
            Tools.Succeed("deploy/local/scratch", "pg", "start", source, Invariant(SourcePort), Path.Combine(backups, "wal"));
            await using var db = new NpgsqlConnection(TestEnvironment.AdminConnectionString("postgres", SourcePort));
            await db.OpenAsync();
            await db.ExecuteAsync("create table entries (id int primary key, written_at timestamptz not null default clock_timestamp())");

            // Before the base backup, after it (from the WAL archive) and after the instant: 50 rows a transaction.
            await Write(db, 1, 150);
            Tools.Succeed("deploy/local/backup", Environment(SourcePort), "--dir", backups);
            await Write(db, 151, 400);
            var instant = await db.ExecuteScalarAsync<DateTime>("select clock_timestamp()");
            await Write(db, 401, 650);

            // The segment holding the last commits goes to the archive now, not when it fills.
            var segment = await db.ExecuteScalarAsync<string>("select pg_walfile_name(pg_switch_wal())");
            await Eventually.True(
                async () => string.CompareOrdinal(await db.ExecuteScalarAsync<string?>("select last_archived_wal from pg_stat_archiver") ?? "", segment) >= 0,
                $"WAL segment {segment} archived");

            var at = instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
            Tools.Succeed("deploy/local/restore", Environment(SourcePort), "--dir", backups, "--time", at, "--port", Invariant(RestorePort), "--data", Path.Combine(restored, "data"));

            await using var copy = new NpgsqlConnection(TestEnvironment.AdminConnectionString("postgres", RestorePort));
            await copy.OpenAsync();
            var ids = (await copy.QueryAsync<int>("select id from entries order by id")).ToList();
            Assert.Multiple(() =>
            {
                Assert.That(ids.Where(id => id <= 400), Is.EqualTo(Enumerable.Range(1, 400)), "every entry committed before the instant");
                Assert.That(ids.Where(id => id > 400), Is.Empty, "no entry committed after the instant");
            });
            Assert.That(await copy.ExecuteScalarAsync<bool>("select pg_is_in_recovery()"), Is.False, "the restored server is promoted");
        }
        finally
        {
            Tools.Run("deploy/local/scratch", "pg", "stop", restored, "fast");
            Tools.Run("deploy/local/scratch", "pg", "stop", source, "fast");
            Scratch.Delete(directory);
        }
    }

    private static async Task Write(NpgsqlConnection db, int first, int last)
    {
        for (var start = first; start <= last; start += 50)
        {
            await using var transaction = await db.BeginTransactionAsync();
            await db.ExecuteAsync("insert into entries (id) select generate_series(@From, @To)", new { From = start, To = Math.Min(start + 49, last) }, transaction);
            await transaction.CommitAsync();
        }
    }

    private static Dictionary<string, string> Environment(int port) => new()
    {
        ["AIDP_PG_HOST"] = "127.0.0.1",
        ["AIDP_PG_PORT"] = Invariant(port),
    };

    private static bool Listening(int port)
    {
        try
        {
            using var client = new System.Net.Sockets.TcpClient();
            client.Connect(System.Net.IPAddress.Loopback, port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }

    private static int Port(string variable, int fallback) =>
        System.Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
