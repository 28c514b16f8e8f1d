using System.Text.Json;
using AidPlatform.Disbursement.Api.Domain;
using Dapper;
using Npgsql;

namespace AidPlatform.Disbursement.Api.Data;

/// <summary>The local copy of the registry's certificates: the newest version wins, whether it came by event or over HTTP.</summary>
public sealed class CertificateCopy(NpgsqlDataSource dataSource)
{
    private const string Upsert = """
        insert into certificates (id, ngo_id, version, issued_on, expires_on, status, province_codes, interruptions)
        values (@Id, @NgoId, @Version, @IssuedOn, @ExpiresOn, @Status, @Provinces, @Interruptions::jsonb)
        on conflict (id) do update set ngo_id = excluded.ngo_id, version = excluded.version, issued_on = excluded.issued_on,
            expires_on = excluded.expires_on, status = excluded.status, province_codes = excluded.province_codes,
            interruptions = excluded.interruptions, updated_at = now()
        where certificates.version < excluded.version
        """;

    private const string Columns = "id, ngo_id, version, issued_on, expires_on, status, province_codes as provinces, interruptions::text as interruptions";

    /// <summary>The certificates of the NGOs of the projects <c>@ids</c>, for a caller that sends it with other reads (as <see cref="Row"/>).</summary>
    public const string SelectForProjects = $"select {Columns} from certificates where ngo_id in (select ngo_id from projects where id = any(@ids))";

    private const string SelectForNgos = $"select {Columns} from certificates where ngo_id = any(@ngos)";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Keeps <paramref name="certificate"/> inside the caller's transaction (a consumer's, with its inbox row).</summary>
    public static Task Keep(NpgsqlTransaction transaction, CertificateInfo certificate)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        return transaction.Connection!.ExecuteAsync(Upsert, Parameters(certificate), transaction);
    }

    /// <summary>Keeps certificates fetched from the registry.</summary>
    public async Task Keep(IReadOnlyCollection<CertificateInfo> certificates, CancellationToken cancellationToken)
    {
        if (certificates.Count == 0)
        {
            return;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await connection.ExecuteAsync(Upsert, certificates.Select(Parameters));
    }

    /// <summary>The certificates the copy holds for <paramref name="ngos"/>.</summary>
    public async Task<IEnumerable<CertificateInfo>> Find(Guid[] ngos, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        return (await connection.QueryAsync<Row>(SelectForNgos, new { ngos })).Select(r => r.ToInfo());
    }

    /// <summary>
    /// The sum of the versions of an NGO's certificates: any change (a newer version) or a new certificate raises it,
    /// so a write can check in SQL that the certificates it was judged against are still those the copy holds.
    /// </summary>
    public static long VersionSum(IEnumerable<CertificateInfo> certificates) => certificates.Sum(c => (long)c.Version);

    /// <summary>The SQL twin of <see cref="VersionSum"/>, for the NGO in parameter <c>$2</c>.</summary>
    public const string VersionSumSql = "(select coalesce(sum(version), 0) from certificates where ngo_id = $2)";

    private static object Parameters(CertificateInfo c) => new
    {
        c.Id, c.NgoId, c.Version, c.IssuedOn, c.ExpiresOn, c.Status, Provinces = c.Provinces.ToArray(),
        Interruptions = JsonSerializer.Serialize(c.Interruptions, Json),
    };

    /// <summary>A row of the selects.</summary>
    public sealed class Row
    {
        public Guid Id { get; init; }
        public Guid NgoId { get; init; }
        public int Version { get; init; }
        public DateOnly IssuedOn { get; init; }
        public DateOnly ExpiresOn { get; init; }
        public string Status { get; init; } = "";
        public string[] Provinces { get; init; } = [];
        public string Interruptions { get; init; } = "[]";

        public CertificateInfo ToInfo() => new(Id, NgoId, Version, IssuedOn, ExpiresOn, Status, Provinces,
            JsonSerializer.Deserialize<List<CertificateGap>>(Interruptions, Json) ?? []);
    }
}
