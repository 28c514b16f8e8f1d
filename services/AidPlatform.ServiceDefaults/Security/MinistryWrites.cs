using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace AidPlatform.ServiceDefaults.Security;

/// <summary>Writes only the ministry may make to an object that belongs to an NGO.</summary>
public static class MinistryWrites
{
    /// <summary>
    /// The ministry goes on. A partner naming another NGO's object (or none) gets the 404 a read would give,
    /// so that the answer never confirms the object exists (API.md); anyone else gets 403.
    /// <paramref name="ownerOf"/> finds the NGO owning the route's <c>{id}</c>, or null if there is none.
    /// </summary>
    public static RouteHandlerBuilder RequireMinistryOnOwnedObject(
        this RouteHandlerBuilder builder, string noun, Func<HttpContext, Guid, Task<Guid?>> ownerOf)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddEndpointFilter(async (context, next) =>
        {
            var http = context.HttpContext;
            if (http.User.IsInRole(Roles.Ministry))
            {
                return await next(context);
            }

            await PartnerWrites.RefuseForeignToPartner(http, noun, ownerOf);
            return TypedResults.Forbid();
        });
    }
}
