using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace AidPlatform.ServiceDefaults.Security;

/// <summary>JWT bearer authentication, the role policies, per-caller rate limits and body size limits.</summary>
internal static class SecurityExtensions
{
    public static IServiceCollection AddSecurity(this IServiceCollection services, IConfiguration configuration)
    {
        var auth = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        services.AddSingleton(auth);
        services.Configure<KestrelServerOptions>(kestrel => kestrel.Limits.MaxRequestBodySize = auth.MaxRequestBodyBytes);

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(jwt =>
        {
            // Claims keep their JWT names (role, sub, ngo_id). Tokens are read from the Authorization header only, never a URL.
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters.RoleClaimType = "role";
            jwt.TokenValidationParameters.NameClaimType = "sub";
            if (auth.Authority is { Length: > 0 } authority)
            {
                jwt.Authority = authority;
                jwt.Audience = auth.Audience;
            }
            else if (auth.SigningKey is { Length: >= 32 } key)
            {
                jwt.TokenValidationParameters.ValidIssuer = auth.Issuer;
                jwt.TokenValidationParameters.ValidAudience = auth.Audience;
                jwt.TokenValidationParameters.IssuerSigningKey = Tokens.Key(key);
                jwt.TokenValidationParameters.ClockSkew = TimeSpan.FromSeconds(30);
            }
            else
            {
                throw new InvalidOperationException("Configure Auth:Authority (an OIDC issuer) or, for development, Auth:SigningKey (32 bytes or more).");
            }
        });

        services.AddAuthorization(options =>
        {
            // Every endpoint needs a caller with a known role unless it says AllowAnonymous.
            options.FallbackPolicy = new AuthorizationPolicyBuilder().RequireAuthenticatedUser().RequireAssertion(c => Caller.IsValid(c.User)).Build();
            options.AddPolicy(Policies.Ministry, policy => policy.RequireRole(Roles.Ministry));
            options.AddPolicy(Policies.Oversight, policy => policy.RequireRole(Roles.Ministry, Roles.Auditor));
            options.AddPolicy(Policies.RecordTransactions, policy => policy.RequireAssertion(c =>
                c.User.IsInRole(Roles.Ministry) || (c.User.IsInRole(Roles.Partner) && c.User.PartnerNgo() is not null)));
        });

        services.AddRateLimiter(options =>
        {
            // A token bucket per caller (its token's subject, else its address): one caller's flood never
            // starves another's requests. Health checks are never limited.
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.Request.Path.StartsWithSegments("/health")
                    ? RateLimitPartition.GetNoLimiter("health")
                    : RateLimitPartition.GetTokenBucketLimiter(
                        context.User.Identity is { IsAuthenticated: true, Name: { } subject } ? $"sub:{subject}" : $"ip:{context.Connection.RemoteIpAddress}",
                        _ => new TokenBucketRateLimiterOptions
                        {
                            TokenLimit = auth.Burst,
                            TokensPerPeriod = auth.PermitsPerSecond,
                            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                            QueueLimit = 0,
                            AutoReplenishment = true,
                        }));
            options.OnRejected = async (rejected, cancellationToken) =>
            {
                var response = rejected.HttpContext.Response;
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                response.StatusCode = StatusCodes.Status429TooManyRequests;
                response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                var problems = rejected.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
                await problems.WriteAsync(new ProblemDetailsContext
                {
                    HttpContext = rejected.HttpContext,
                    ProblemDetails = new ProblemDetails
                    {
                        Status = StatusCodes.Status429TooManyRequests,
                        Title = "Too many requests",
                        Detail = $"This caller has made too many requests; retry after {retryAfter} s.",
                    },
                });
            };
        });
        return services;
    }

    public static void UseSecurity(this WebApplication app)
    {
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
    }
}
