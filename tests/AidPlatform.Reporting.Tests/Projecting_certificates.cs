using AidPlatform.Contracts.Registry;
using AidPlatform.Testing;
using Dapper;
using Npgsql;

namespace AidPlatform.Reporting.Tests;

/// <summary>Certificates over their life reach the read model: the newest version wins, and the tightest expiry notice for the current expiry is kept.</summary>
public sealed class Projecting_certificates : ProjectionSpecs
{
    [Test]
    public async Task The_newest_state_of_a_certificate_wins_and_the_tightest_notice_for_its_expiry_is_kept()
    {
        var ngo = Guid.NewGuid();
        var id = Guid.NewGuid();
        await Publish(new RegistrationRecorded
        {
            EventId = Guid.NewGuid(), OccurredAt = DateTimeOffset.UtcNow, RegistrationId = id, NgoId = ngo, Kind = "operation", CertificateNumber = "C-1",
            IssuedOn = new(2024, 1, 1), ExpiresOn = new(2027, 1, 31), ProvinceCodes = ["01"], SectorCategories = ["122"], NgoStatus = "active",
        });
        var extended = Changed(id, ngo, 3, "reinstate", "valid", new(2027, 12, 31));
        var stale = Changed(id, ngo, 2, "suspend", "suspended", new(2027, 1, 31));
        var staleId = Guid.NewGuid();
        await Publish(extended);
        await Eventually.True(async () => await Row(id) is { Version: 3 }, "version 3 to be kept");
        await Publish(stale, staleId);
        await WaitForProjected(staleId);

        var noticeForOldExpiry = Guid.NewGuid();
        await Publish(Expiring(id, ngo, new(2027, 1, 31), 30), noticeForOldExpiry);
        await WaitForProjected(noticeForOldExpiry);
        await Publish(Expiring(id, ngo, new(2027, 12, 31), 30));
        await Eventually.True(async () => await Row(id) is { NoticeDaysBefore: 30 }, "the 30-day notice");
        var looser = Guid.NewGuid();
        await Publish(Expiring(id, ngo, new(2027, 12, 31), 90), looser);
        await WaitForProjected(looser);

        var row = await Row(id);
        Assert.That(row, Is.EqualTo(new CertificateRow(3, "valid", new DateOnly(2027, 12, 31), 30, new DateOnly(2027, 12, 31))));
    }

    private static RegistrationChanged Changed(Guid id, Guid ngo, int version, string action, string status, DateOnly expiresOn) => new()
    {
        EventId = Guid.NewGuid(), OccurredAt = DateTimeOffset.UtcNow, RegistrationId = id, Version = version, NgoId = ngo, Action = action,
        EffectiveOn = new(2026, 11, 1), Kind = "operation", CertificateNumber = "C-1", IssuedOn = new(2024, 1, 1), ExpiresOn = expiresOn, Status = status,
        ProvinceCodes = ["01", "79"], SectorCategories = ["122"], Interruptions = [], NgoStatus = "active",
    };

    private static RegistrationExpiring Expiring(Guid id, Guid ngo, DateOnly expiresOn, int days) => new()
    {
        EventId = Guid.NewGuid(), OccurredAt = DateTimeOffset.UtcNow, RegistrationId = id, NgoId = ngo, CertificateNumber = "C-1", ExpiresOn = expiresOn, DaysBefore = days,
    };

    private sealed record CertificateRow(int Version, string Status, DateOnly ExpiresOn, int? NoticeDaysBefore, DateOnly? NoticeExpiresOn);

    private static async Task<CertificateRow?> Row(Guid id)
    {
        await using var connection = new NpgsqlConnection(TestEnvironment.ServiceConnectionString("reporting"));
        return await connection.QuerySingleOrDefaultAsync<CertificateRow>(
            "select version, status, expires_on, notice_days_before, notice_expires_on from registrations where id = @id", new { id });
    }
}
