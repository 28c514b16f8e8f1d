namespace AidPlatform.ServiceDefaults.Http;

/// <summary>
/// A query parameter that belongs to one variant of an operation only, such as the breakdown's <c>significance</c>
/// with <c>by=policyMarker</c>: given with any other value of <see cref="Parameter"/> (or without it), it is an
/// unknown parameter (400), as the strict query string says; the OpenAPI parameter's description says when it applies.
/// </summary>
[AttributeUsage(AttributeTargets.Parameter | AttributeTargets.Property)]
public sealed class OnlyWithAttribute(string parameter, string value) : Attribute
{
    /// <summary>The query parameter this one depends on.</summary>
    public string Parameter { get; } = parameter;

    /// <summary>The value <see cref="Parameter"/> must have.</summary>
    public string Value { get; } = value;
}
