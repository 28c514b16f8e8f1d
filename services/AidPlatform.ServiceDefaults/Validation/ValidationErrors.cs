using AidPlatform.ServiceDefaults.Errors;

namespace AidPlatform.ServiceDefaults.Validation;

/// <summary>
/// Field errors, keyed by the field's path as the client spells it (<c>sectors[1].percentage</c>, <c>[3].amount</c>).
/// Every validator has the one shape <c>T? Validate(input, context, ValidationErrors errors, string prefix = "")</c>:
/// the valid value, or null with its faults added under <c>prefix</c>. A single request refuses with
/// <see cref="Refusal"/>; a batch passes <c>[i].</c> as the prefix and refuses once for all items; an import
/// reads each row's faults with <see cref="Entries"/>.
/// </summary>
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

    /// <summary>Every (field, message) pair, fields in the order they first failed.</summary>
    public IEnumerable<(string Field, string Message)> Entries => errors.SelectMany(e => e.Value.Select(m => (e.Key, m)));

    public Dictionary<string, string[]> ToDictionary() => errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);
}
