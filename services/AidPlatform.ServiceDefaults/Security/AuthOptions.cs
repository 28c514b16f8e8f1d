namespace AidPlatform.ServiceDefaults.Security;

/// <summary>The <c>Auth</c> configuration section.</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>Production: the OIDC authority whose metadata and keys validate tokens. Wins over <see cref="SigningKey"/>.</summary>
    public string? Authority { get; set; }

    /// <summary>Development: the shared HS256 key (at least 32 bytes) that <c>deploy/local/token</c> signs with.</summary>
    public string? SigningKey { get; set; }

    public string Issuer { get; set; } = "aidplatform-local";

    public string Audience { get; set; } = "aidplatform";

    /// <summary>Production: the token this service presents when it calls another (with a signing key it mints its own).</summary>
    public string? ServiceToken { get; set; }

    /// <summary>Requests a caller may make at once before it is limited.</summary>
    public int Burst { get; set; } = 200;

    /// <summary>Requests a caller regains each second.</summary>
    public int PermitsPerSecond { get; set; } = 100;

    /// <summary>Largest request body, except where an endpoint says otherwise (CSV imports).</summary>
    public long MaxRequestBodyBytes { get; set; } = 16 * 1024 * 1024;
}
