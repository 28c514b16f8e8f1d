using Microsoft.AspNetCore.Http;
using AidPlatform.ServiceDefaults.Errors;

namespace AidPlatform.ServiceDefaults.Http;

/// <summary>Weak-free ETags derived from a resource's version number, and the <c>If-Match</c> check of PUT.</summary>
public static class ETags
{
    public static string For(int version) => $"\"{version}\"";

    /// <summary>
    /// Throws <see cref="PreconditionFailedException"/> when <c>If-Match</c> names another version.
    /// A PUT without <c>If-Match</c> is accepted (last writer wins), as API.md asks for no 428.
    /// </summary>
    public static void CheckIfMatch(HttpRequest request, int currentVersion)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ifMatch = request.Headers.IfMatch.ToString();
        if (ifMatch.Length == 0 || ifMatch == "*")
        {
            return;
        }

        var current = For(currentVersion);
        var matches = ifMatch.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Any(tag => tag == current || tag == $"W/{current}");
        if (!matches)
        {
            throw new PreconditionFailedException($"If-Match {ifMatch} is stale; the current ETag is {current}.");
        }
    }
}
