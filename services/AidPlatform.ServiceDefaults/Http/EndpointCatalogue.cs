using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace AidPlatform.ServiceDefaults.Http;

/// <summary>A query parameter an operation declares: its name, its CLR type, its allowed values and the variant it belongs to, if any.</summary>
internal sealed record QueryParameter(string Name, Type Type, IReadOnlyList<string>? AllowedValues, OnlyWithAttribute? OnlyWith = null);

/// <summary>
/// What each operation declares, read once from the API explorer (the same source the OpenAPI document is
/// built from), so the conventions enforced at run time and the document never disagree. Keyed by the
/// endpoint's handler method, which both carry in their metadata (one handler mapped twice binds alike).
/// </summary>
internal sealed class EndpointCatalogue(IApiDescriptionGroupCollectionProvider explorer)
{
    private readonly Lazy<Dictionary<MethodInfo, IReadOnlyDictionary<string, QueryParameter>>> queries = new(() => Build(explorer));

    /// <summary>The query parameters of the endpoint, or null for an endpoint outside the API (health, Swagger).</summary>
    public IReadOnlyDictionary<string, QueryParameter>? QueryOf(Endpoint endpoint) =>
        endpoint.Metadata.GetMetadata<MethodInfo>() is { } handler && queries.Value.TryGetValue(handler, out var parameters)
            ? parameters
            : null;

    private static Dictionary<MethodInfo, IReadOnlyDictionary<string, QueryParameter>> Build(IApiDescriptionGroupCollectionProvider explorer)
    {
        var result = new Dictionary<MethodInfo, IReadOnlyDictionary<string, QueryParameter>>();
        foreach (var api in explorer.ApiDescriptionGroups.Items.SelectMany(g => g.Items))
        {
            if (api.ActionDescriptor.EndpointMetadata.OfType<MethodInfo>().FirstOrDefault() is not { } handler)
            {
                continue;
            }

            result[handler] = api.ParameterDescriptions
                .Where(p => p.Source == BindingSource.Query)
                .ToDictionary(
                    p => p.Name,
                    p => new QueryParameter(p.Name, p.Type ?? typeof(string), AllowedValuesOf(p),
                        (p.ParameterDescriptor as IParameterInfoParameterDescriptor)?.ParameterInfo.GetCustomAttribute<OnlyWithAttribute>()),
                    StringComparer.Ordinal);
        }

        return result;
    }

    private static List<string>? AllowedValuesOf(ApiParameterDescription parameter) =>
        (parameter.ParameterDescriptor as IParameterInfoParameterDescriptor)?.ParameterInfo.GetCustomAttribute<AllowedValuesAttribute>() is { } allowed
            ? allowed.Values.Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "").ToList()
            : null;
}
