using System.Net.Http.Headers;

namespace AidPlatform.ServiceDefaults.Security;

/// <summary>
/// Presents this service's own token on calls to another service: the configured <c>Auth:ServiceToken</c>,
/// or, with a development signing key, a short-lived auditor token it mints (read-only by role).
/// </summary>
internal sealed class ServiceTokenHandler(AuthOptions options, ServiceSchema service) : DelegatingHandler
{
    private string? token;
    private DateTime renewAt;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Current());
        return base.SendAsync(request, cancellationToken);
    }

    private string Current()
    {
        if (options.ServiceToken is { Length: > 0 } configured)
        {
            return configured;
        }

        if (token is null || DateTime.UtcNow >= renewAt)
        {
            token = Tokens.Issue(options, $"service:{service.Name}", Roles.Auditor, lifetime: TimeSpan.FromMinutes(10));
            renewAt = DateTime.UtcNow.AddMinutes(5);
        }

        return token;
    }
}
