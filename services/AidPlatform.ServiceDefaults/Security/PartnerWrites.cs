using AidPlatform.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace AidPlatform.ServiceDefaults.Security;

/// <summary>Writes a partner may make to its own NGO's objects (and the ministry to any).</summary>
public static class PartnerWrites
{
    /// <summary>
    /// A partner naming another NGO's object (or none) gets the 404 a read would give, before its body is judged, so
    /// that no answer (a 422 on the body) tells a foreign id from a missing one (API.md); everyone else goes on to the
    /// handler, whose policy has already kept out the roles that never write. <paramref name="ownerOf"/> finds the NGO
    /// owning the route's <c>{id}</c>, or null if there is none.
    /// </summary>
    public static RouteHandlerBuilder RequireOwnObjectForPartner(this RouteHandlerBuilder builder, string noun, Func<HttpContext, Guid, Task<Guid?>> ownerOf)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddEndpointFilter(async (context, next) =>
        {
            await RefuseForeignToPartner(context.HttpContext, noun, ownerOf);
            return await next(context);
        });
    }

    /// <summary>A partner naming another NGO's object (or none) by the route's <c>{id}</c>: the 404 a read would give.</summary>
    internal static async Task RefuseForeignToPartner(HttpContext http, string noun, Func<HttpContext, Guid, Task<Guid?>> ownerOf)
    {
        if (http.User.PartnerNgo() is { } own && Guid.TryParse(http.GetRouteValue("id")?.ToString(), out var id) && await ownerOf(http, id) != own)
        {
            throw new NotFoundException($"{noun} {id} does not exist.");
        }
    }
}
