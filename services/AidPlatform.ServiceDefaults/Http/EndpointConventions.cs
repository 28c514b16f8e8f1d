using Microsoft.AspNetCore.Builder;

namespace AidPlatform.ServiceDefaults.Http;

/// <summary>
/// Marks a <c>PUT</c> that may create its resource (a new month's exchange rate): <c>If-Match</c> is then
/// optional, and <c>If-None-Match: *</c> makes the request create-only. Every other <c>PUT</c> updates and
/// requires <c>If-Match</c> (428 without it).
/// </summary>
public sealed class CreatesOnPutMetadata;

/// <summary>Marks a <c>POST</c> that creates many resources at once (a batch): 201 without a <c>Location</c>.</summary>
public sealed class CreatesManyMetadata;

/// <summary>The conventions an endpoint opts into; everything else in ServiceDefaults applies by default.</summary>
public static class EndpointConventions
{
    /// <summary>See <see cref="CreatesOnPutMetadata"/>.</summary>
    public static RouteHandlerBuilder CreatesOnPut(this RouteHandlerBuilder builder) => builder.WithMetadata(new CreatesOnPutMetadata());

    /// <summary>See <see cref="CreatesManyMetadata"/>.</summary>
    public static RouteHandlerBuilder CreatesMany(this RouteHandlerBuilder builder) => builder.WithMetadata(new CreatesManyMetadata());
}
