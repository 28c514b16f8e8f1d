using System.Security.Claims;

namespace AidPlatform.ServiceDefaults.Security;

/// <summary>The roles of API.md and what they may do.</summary>
public static class Roles
{
    /// <summary>Reads and writes everything.</summary>
    public const string Ministry = "ministry";

    /// <summary>Reads its own NGO, projects and transactions; records transactions for its own projects.</summary>
    public const string Partner = "partner";

    /// <summary>Reads everything, writes nothing.</summary>
    public const string Auditor = "auditor";
}

/// <summary>Authorization policy names.</summary>
public static class Policies
{
    /// <summary>Ministry only: the registry's writes, exchange rates.</summary>
    public const string Ministry = "ministry";

    /// <summary>Ministry or a partner (for its own NGO): ledger writes.</summary>
    public const string RecordTransactions = "record-transactions";

    /// <summary>Ministry or auditor: cross-NGO views such as reconciliation.</summary>
    public const string Oversight = "oversight";
}

/// <summary>Who is calling, as the handlers need it for object-level checks.</summary>
public static class Caller
{
    public const string NgoClaim = "ngo_id";

    /// <summary>A partner's NGO; null for the ministry and auditors, who see every NGO.</summary>
    public static Guid? PartnerNgo(this ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.IsInRole(Roles.Partner) && Guid.TryParse(user.FindFirst(NgoClaim)?.Value, out var ngo) ? ngo : null;
    }

    /// <summary>Whether the caller may see objects of <paramref name="ngoId"/>; another NGO's object must then answer 404.</summary>
    public static bool MaySee(this ClaimsPrincipal user, Guid ngoId) => !user.IsInRole(Roles.Partner) || user.PartnerNgo() == ngoId;

    /// <summary>A known role; a partner also needs its NGO.</summary>
    internal static bool IsValid(ClaimsPrincipal user) =>
        user.IsInRole(Roles.Ministry) || user.IsInRole(Roles.Auditor) || (user.IsInRole(Roles.Partner) && user.PartnerNgo() is not null);
}
