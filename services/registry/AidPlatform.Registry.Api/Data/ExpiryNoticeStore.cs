using AidPlatform.Registry.Api.Domain;
using AidPlatform.Registry.Api.Messaging;
using AidPlatform.ServiceDefaults.Messaging;
using Dapper;
using Npgsql;

namespace AidPlatform.Registry.Api.Data;

/// <summary>
/// The notices of coming expiry (<see cref="ExpiryMarks"/>). A mark is noted in <c>registration_expiry_notices</c>
/// and its <c>RegistrationExpiring</c> enqueued in one transaction, so each goes out once whatever restarts; two
/// instances scanning at once skip each other's locked certificates, and only a notice actually inserted is published.
/// </summary>
public sealed class ExpiryNoticeStore(NpgsqlDataSource db)
{
    private const int BatchSize = 500;

    /// <summary>Notes and enqueues every notice due on <paramref name="today"/>; returns how many were published.</summary>
    public async Task<int> PublishDue(DateOnly today, CancellationToken cancellationToken)
    {
        var published = 0;
        while (true)
        {
            var (seen, sent) = await PublishBatch(today, cancellationToken);
            published += sent;
            if (seen < BatchSize)
            {
                return published;
            }
        }
    }

    private async Task<(int Seen, int Published)> PublishBatch(DateOnly today, CancellationToken cancellationToken)
    {
        // Certificates neither revoked nor replaced (another certificate of the same kind, not revoked, in force from before
        // this one expires until after), within 90 days of expiry and not yet noted at the tightest mark they have reached.
        const string due = """
            select r.id, r.ngo_id, r.certificate_number, r.expires_on
            from registrations r
            where r.status <> 'revoked'
              and r.expires_on between @Today and @Today + @Widest
              and not exists (select 1 from registration_expiry_notices n
                              where n.registration_id = r.id and n.expires_on = r.expires_on
                                and n.days_before = (select min(m) from unnest(@Marks) m where m >= r.expires_on - @Today))
              and not exists (select 1 from registrations s
                              where s.ngo_id = r.ngo_id and s.id <> r.id and s.kind = r.kind and s.status <> 'revoked'
                                and s.issued_on <= r.expires_on and s.expires_on > r.expires_on)
            order by r.expires_on, r.id
            limit @Limit
            for update of r skip locked
            """;
        const string note = """
            insert into registration_expiry_notices (registration_id, expires_on, days_before, published_at)
            select id, expires_on, days_before, case when publish then now() end
            from unnest(@Ids, @ExpiresOns, @DaysBefores, @Publishes) as x(id, expires_on, days_before, publish)
            on conflict do nothing
            returning registration_id, days_before, published_at is not null as published
            """;
        await using var connection = await db.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var certificates = (await connection.QueryAsync<DueRow>(due, new
        {
            Today = today, Widest = ExpiryMarks.Days.Max(), Marks = ExpiryMarks.Days.ToArray(), Limit = BatchSize,
        }, transaction)).AsList();
        if (certificates.Count == 0)
        {
            return (0, 0);
        }

        var marks = certificates.SelectMany(c => ExpiryMarks.Due(c.ExpiresOn, today).Select(m => (Certificate: c, m.DaysBefore, m.Publish))).ToList();
        var noted = (await connection.QueryAsync<(Guid RegistrationId, int DaysBefore, bool Published)>(note, new
        {
            Ids = marks.Select(m => m.Certificate.Id).ToArray(),
            ExpiresOns = marks.Select(m => m.Certificate.ExpiresOn).ToArray(),
            DaysBefores = marks.Select(m => m.DaysBefore).ToArray(),
            Publishes = marks.Select(m => m.Publish).ToArray(),
        }, transaction)).Where(n => n.Published).ToList();
        var byId = certificates.ToDictionary(c => c.Id);
        await transaction.EnqueueMany(noted.Select(n =>
        {
            var c = byId[n.RegistrationId];
            return (Guid.CreateVersion7(), RegistryEvents.RegistrationExpiring(c.Id, c.NgoId, c.CertificateNumber, c.ExpiresOn, n.DaysBefore));
        }).ToList());
        await transaction.CommitAsync(cancellationToken);
        return (certificates.Count, noted.Count);
    }

    private sealed class DueRow
    {
        public Guid Id { get; init; }
        public Guid NgoId { get; init; }
        public string CertificateNumber { get; init; } = "";
        public DateOnly ExpiresOn { get; init; }
    }
}
