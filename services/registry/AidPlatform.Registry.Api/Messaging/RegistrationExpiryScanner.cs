using AidPlatform.Registry.Api.Data;
using AidPlatform.ServiceDefaults;

namespace AidPlatform.Registry.Api.Messaging;

/// <summary>The <c>Registrations</c> configuration section.</summary>
public sealed class RegistrationOptions
{
    public const string Section = "Registrations";

    /// <summary>How often the certificates are scanned for a coming expiry (<c>RegistrationExpiring</c>).</summary>
    public TimeSpan ExpiryScanInterval { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>
/// Publishes <c>RegistrationExpiring</c> 90, 30 and 7 days before a certificate expires (Vietnam's day), on start and
/// then every <see cref="RegistrationOptions.ExpiryScanInterval"/>. What was noted is kept in the database
/// (<see cref="ExpiryNoticeStore"/>), so a restart or a second instance sends nothing twice.
/// </summary>
internal sealed class RegistrationExpiryScanner(ExpiryNoticeStore notices, RegistrationOptions options, ILogger<RegistrationExpiryScanner> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var published = await notices.PublishDue(VietnamTime.Today, stoppingToken);
                if (published > 0)
                {
                    logger.LogInformation("Published {Count} registration expiry notices", published);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database may be away for a while: the next scan catches up, nothing is lost.
                logger.LogWarning(e, "The registration expiry scan failed; it runs again in {Interval}", options.ExpiryScanInterval);
            }

            try
            {
                await Task.Delay(options.ExpiryScanInterval, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
