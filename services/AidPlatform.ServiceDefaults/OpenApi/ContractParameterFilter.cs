using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace AidPlatform.ServiceDefaults.OpenApi;

/// <summary>
/// <c>[AllowedValues]</c> on a handler parameter (a query such as <c>by</c>) becomes the parameter's <c>enum</c>;
/// Swashbuckle already turns the other validation attributes into bounds, but not this one. <c>[OnlyWith]</c> becomes
/// the parameter's description.
/// </summary>
internal sealed class ContractParameterFilter : IParameterFilter
{
    public void Apply(IOpenApiParameter parameter, ParameterFilterContext context)
    {
        var allowed = context.ParameterInfo?.GetCustomAttribute<AllowedValuesAttribute>()
            ?? context.PropertyInfo?.GetCustomAttribute<AllowedValuesAttribute>();
        if (allowed is not null && parameter.Schema is OpenApiSchema schema)
        {
            schema.Enum = [.. allowed.Values.Select(value => JsonSerializer.SerializeToNode(value)).OfType<JsonNode>()];
        }

        if (context.ParameterInfo?.GetCustomAttribute<Http.OnlyWithAttribute>() is { } only && parameter is OpenApiParameter concrete)
        {
            concrete.Description = $"Only with {only.Parameter}={only.Value}; with any other {only.Parameter} it is an unknown parameter (400).";
        }
    }
}
