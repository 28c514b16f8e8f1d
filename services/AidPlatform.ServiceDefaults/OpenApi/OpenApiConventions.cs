using Microsoft.Extensions.DependencyInjection;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace AidPlatform.ServiceDefaults.OpenApi;

/// <summary>The document, operation and schema transformers that make each service's OpenAPI document the contract.</summary>
internal static class OpenApiConventions
{
    /// <summary>
    /// Registered once for every service, so that an endpoint added later is described by the same rules
    /// (shared/contract/API.md, "Fidelity: the document is the contract") without code of its own.
    /// </summary>
    public static void AddContractConventions(this SwaggerGenOptions swagger, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(swagger);
        swagger.SchemaFilter<ContractSchemaFilter>();
        swagger.ParameterFilter<ContractParameterFilter>();
        swagger.OperationFilter<ContractOperationFilter>();
        swagger.DocumentFilter<ContractDocumentFilter>(serviceName);
    }
}
