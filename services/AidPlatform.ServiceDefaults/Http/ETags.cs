using System.Globalization;
using AidPlatform.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Http;

namespace AidPlatform.ServiceDefaults.Http;

/// <summary>
/// Strong ETags derived from a resource's version number, and what a <c>PUT</c>'s preconditions ask for.
/// <see cref="PreconditionsMiddleware"/> has already refused a missing (428), weak or unreadable (412)
/// <c>If-Match</c> by the time a handler asks.
/// </summary>
public static class ETags
{
    public static string For(int version) => $"\"{version}\"";

    /// <summary>The version <c>If-Match</c> names; null when there is none or it is <c>*</c> (any current version).</summary>
    public static int? ExpectedVersion(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var ifMatch = request.Headers.IfMatch.ToString().Trim();
        return ifMatch.Length == 0 || ifMatch == "*" ? null : Parse(ifMatch);
    }

    /// <summary>True when <c>If-None-Match: *</c> makes a <c>PUT</c> create-only.</summary>
    public static bool CreateOnly(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.Headers.IfNoneMatch.ToString().Trim() == "*";
    }

    /// <summary>Throws 412 unless <c>If-Match</c> is absent, <c>*</c>, or names <paramref name="currentVersion"/>.</summary>
    public static void Check(HttpRequest request, int currentVersion) => Check(ExpectedVersion(request), currentVersion);

    /// <summary>
    /// The one concurrency check, made by a store inside its transaction once it has locked the current row
    /// (<c>select version ... for update</c>): 412 unless <paramref name="expected"/> is null or the current version.
    /// </summary>
    public static void Check(int? expected, int currentVersion)
    {
        if (expected is { } version && version != currentVersion)
        {
            throw new PreconditionFailedException($"If-Match {For(version)} is stale; the current ETag is {For(currentVersion)}.");
        }
    }

    /// <summary>The version of a strong tag <c>"7"</c>; -1 for anything else, which never matches.</summary>
    internal static int Parse(string tag) =>
        tag.Length > 2 && tag[0] == '"' && tag[^1] == '"' && int.TryParse(tag[1..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : -1;
}
