using AidPlatform.ServiceDefaults.Errors;

namespace AidPlatform.ServiceDefaults.Http;

/// <summary>Collects field errors for one request, keyed by the request's field path (<c>sectors[1].percentage</c>).</summary>
public sealed class ValidationErrors
{
    private readonly Dictionary<string, List<string>> errors = new(StringComparer.Ordinal);

    public bool Any => errors.Count > 0;

    /// <summary>How many fields have errors.</summary>
    public int Count => errors.Count;

    public void Add(string field, string message)
    {
        if (!errors.TryGetValue(field, out var messages))
        {
            messages = [];
            errors[field] = messages;
        }

        messages.Add(message);
    }

    /// <summary>Adds an error when <paramref name="condition"/> is false; returns the condition.</summary>
    public bool Require(bool condition, string field, string message)
    {
        if (!condition)
        {
            Add(field, message);
        }

        return condition;
    }

    /// <summary>
    /// Refuses the request when any field has an error: 422, since the request was read and its values are
    /// invalid (a request that cannot be read is a 400 from binding, before any handler runs).
    /// </summary>
    public void ThrowIfAny(string detail = DefaultDetail)
    {
        if (Any)
        {
            throw Refusal(detail);
        }
    }

    /// <summary>The 422 that <see cref="ThrowIfAny"/> throws, for <c>?? throw errors.Refusal()</c>.</summary>
    public UnprocessableException Refusal(string detail = DefaultDetail) => new(detail) { Errors = ToDictionary() };

    private const string DefaultDetail = "The request was read, but some values are invalid; nothing was written.";

    public Dictionary<string, string[]> ToDictionary() => errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}
