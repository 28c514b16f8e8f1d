using System.Net;
using AidPlatform.ServiceDefaults.Tests.Infrastructure;
using AidPlatform.Testing;

namespace AidPlatform.ServiceDefaults.Tests;

public sealed class Readiness
{
    [Test]
    public async Task Ready_turns_unhealthy_when_postgres_stops_while_live_stays_up()
    {
        var directory = Scratch.NewDirectory("pg");
        var port = TestEnvironment.FreePort();
        await Scratch.StartPostgres(directory, port);
        try
        {
            await using var service = await TestService.Start(new TestService.Options { PostgresPort = port, PostgresDatabase = "postgres", RequireSubscriber = false });
            Assert.That((await service.Client.GetAsync("/health/ready")).StatusCode, Is.EqualTo(HttpStatusCode.OK));

            await Scratch.StopPostgres(directory, immediate: true);

            await Eventually.True(async () => (await service.Client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.ServiceUnavailable,
                "/health/ready to answer 503");
            Assert.That((await service.Client.GetAsync("/health/live")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        }
        finally
        {
            await Scratch.StopPostgres(directory, immediate: true);
            Scratch.Delete(directory);
        }
    }
}
