using AidPlatform.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Http;

namespace AidPlatform.ServiceDefaults.Http;

/// <summary>
/// The preconditions of every <c>PUT</c>: one that updates requires <c>If-Match</c> (428 without it), so two
/// editors never overwrite each other unknowingly; a weak tag (<c>W/"…"</c>) or one that is not a version of
/// ours is 412. A <c>PUT</c> that may create (<see cref="CreatesOnPutMetadata"/>) needs no <c>If-Match</c>.
/// The handler compares the version itself, inside its transaction.
/// </summary>
internal sealed class PreconditionsMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPut(context.Request.Method) || context.GetEndpoint() is not { } endpoint)
        {
            await next(context);
            return;
        }

        var ifMatch = context.Request.Headers.IfMatch;
        var mayCreate = endpoint.Metadata.GetMetadata<CreatesOnPutMetadata>() is not null;
        // An empty If-Match names no version: as good as none.
        if (string.IsNullOrWhiteSpace(ifMatch.ToString()) && !mayCreate)
        {
            await Problems.Write(context, StatusCodes.Status428PreconditionRequired, "Precondition required",
                "This PUT updates a resource: send If-Match with the ETag of the version you read (GET it first).");
            return;
        }

        var tag = ifMatch.ToString().Trim();
        if (ifMatch.Count > 1 || (tag.Length > 0 && tag != "*" && ETags.Parse(tag) < 0))
        {
            var why = tag.StartsWith("W/", StringComparison.Ordinal) ? "a weak ETag cannot guard an update" : "it is not an ETag this API issued";
            await Problems.Write(context, StatusCodes.Status412PreconditionFailed, "Precondition failed",
                $"If-Match {tag} cannot match: {why}. Send the strong ETag of the version you read.");
            return;
        }

        var ifNoneMatch = context.Request.Headers.IfNoneMatch.ToString().Trim();
        if (ifNoneMatch.Length > 0 && (!mayCreate || ifNoneMatch != "*"))
        {
            await Problems.Write(context, StatusCodes.Status412PreconditionFailed, "Precondition failed",
                mayCreate ? "If-None-Match accepts only * (create-only)." : "If-None-Match is only for a PUT that creates.");
            return;
        }

        await next(context);
    }
}
