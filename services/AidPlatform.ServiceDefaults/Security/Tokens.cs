using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AidPlatform.ServiceDefaults.Security;

/// <summary>Tokens signed with the development key: for tests and for one service calling another locally.</summary>
public static class Tokens
{
    public static SymmetricSecurityKey Key(string signingKey) => new(Encoding.UTF8.GetBytes(signingKey));

    public static string Issue(AuthOptions options, string subject, string role, Guid? ngoId = null, TimeSpan? lifetime = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var key = options.SigningKey ?? throw new InvalidOperationException("Auth:SigningKey is needed to issue tokens.");
        var claims = new List<Claim> { new("sub", subject), new("role", role) };
        if (ngoId is { } ngo)
        {
            claims.Add(new Claim(Caller.NgoClaim, ngo.ToString()));
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(claims),
            Issuer = options.Issuer,
            Audience = options.Audience,
            Expires = DateTime.UtcNow + (lifetime ?? TimeSpan.FromHours(1)),
            SigningCredentials = new SigningCredentials(Key(key), SecurityAlgorithms.HmacSha256),
        });
    }
}
