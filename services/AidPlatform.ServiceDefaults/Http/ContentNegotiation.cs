using AidPlatform.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Net.Http.Headers;

namespace AidPlatform.ServiceDefaults.Http;

/// <summary>
/// Chooses the media type of a successful answer from the ones the operation declares (its 2xx
/// <c>Produces</c>) by the request's <c>Accept</c>, q-values honoured, and answers 406 when none is
/// acceptable. Errors are problem+json whatever <c>Accept</c> says (<see cref="ProblemJsonWriter"/>).
/// </summary>
public static class ContentNegotiation
{
    private const string Json = "application/json";

    /// <summary>The media type chosen for this request's answer (the operation's first when <c>Accept</c> says nothing).</summary>
    public static string Chosen(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items[typeof(ContentNegotiation)] as string ?? Json;
    }

    /// <summary>True when the answer is to be <paramref name="mediaType"/>.</summary>
    public static bool Prefers(HttpRequest request, string mediaType)
    {
        ArgumentNullException.ThrowIfNull(request);
        return string.Equals(Chosen(request.HttpContext), mediaType, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The declared type that <paramref name="accept"/> rates highest, earlier declared first on a tie; null when none is acceptable.</summary>
    internal static string? Choose(IReadOnlyList<string> offered, IList<MediaTypeHeaderValue> accept)
    {
        if (accept.Count == 0)
        {
            return offered[0];
        }

        string? best = null;
        var bestQuality = 0.0;
        foreach (var candidate in offered)
        {
            var offer = MediaTypeHeaderValue.Parse(candidate);
            // The most specific range that matches decides the quality (RFC 9110 §12.5.1).
            var match = accept.Where(range => offer.IsSubsetOf(range))
                .OrderByDescending(range => range.MatchesAllTypes ? 0 : range.MatchesAllSubTypes ? 1 : 2)
                .FirstOrDefault();
            var quality = match is null ? 0 : match.Quality ?? 1;
            if (quality > bestQuality)
            {
                (best, bestQuality) = (candidate, quality);
            }
        }

        return best;
    }

    internal sealed class Middleware(RequestDelegate next)
    {
        public async Task InvokeAsync(HttpContext context)
        {
            var offered = context.GetEndpoint()?.Metadata.GetOrderedMetadata<IProducesResponseTypeMetadata>()
                .Where(p => p.StatusCode is >= 200 and < 300)
                .SelectMany(p => p.ContentTypes)
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .ToList();
            if (offered is not { Count: > 0 })
            {
                await next(context);
                return;
            }

            // No Accept, or one that cannot be read, states no preference (RFC 9110 §12.5.1 lets a server ignore it).
            var accept = MediaTypeHeaderValue.TryParseList(context.Request.Headers.Accept, out var ranges) ? ranges : [];
            if (Choose(offered, accept) is not { } chosen)
            {
                await Problems.Write(context, StatusCodes.Status406NotAcceptable, "Not acceptable",
                    $"This operation answers {string.Join(" or ", offered)}; the Accept header allows none of them.");
                return;
            }

            context.Items[typeof(ContentNegotiation)] = chosen;
            await next(context);
        }
    }
}
