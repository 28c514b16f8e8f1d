using Microsoft.AspNetCore.Http;
using AidPlatform.ServiceDefaults.Errors;

namespace AidPlatform.ServiceDefaults.Http;

/// <summary>Weak-free ETags derived from a resource's version number, and the <c>If-Match</c> check of PUT.</summary>
public static class ETags
{
    public static string For(int version) => $"\"{version}\"";

    /// <summary>
    /// The version an <c>If-Match</c> header asks for: null when there is none (or <c>*</c>), -1 when it
    /// names no version of ours, so that it can never match.
    /// </summary>
    public static int? ExpectedVersion(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ifMatch = request.Headers.IfMatch.ToString().Trim();
        if (ifMatch.Length == 0 || ifMatch == "*")
        {
            return null;
        }

        var tag = ifMatch.StartsWith("W/", StringComparison.Ordinal) ? ifMatch[2..] : ifMatch;
        return tag.Length > 2 && tag[0] == '"' && tag[^1] == '"' && int.TryParse(tag[1..^1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version)
            ? version
            : -1;
    }

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
