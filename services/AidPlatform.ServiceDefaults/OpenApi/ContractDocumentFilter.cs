using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace AidPlatform.ServiceDefaults.OpenApi;

/// <summary>
/// What only the whole document knows: the problem schemas every error answer refers to, <c>ETag</c> on the
/// GET of a resource that has a PUT and on the 201 of a POST creating one, the server, the licence, and no schema left that nothing uses.
/// </summary>
internal sealed class ContractDocumentFilter(string serviceName) : IDocumentFilter
{
    public void Apply(OpenApiDocument swaggerDoc, DocumentFilterContext context)
    {
        swaggerDoc.Servers = [new OpenApiServer { Url = "/", Description = $"AidPlatform {serviceName} service" }];
        swaggerDoc.Info.License ??= new OpenApiLicense { Name = "Proprietary" };
        swaggerDoc.Info.Contact ??= new OpenApiContact { Name = "AidPlatform" };
        foreach (var tag in swaggerDoc.Tags ?? new HashSet<OpenApiTag>())
        {
            tag.Description ??= $"{tag.Name}: operations of the {serviceName} service.";
        }

        foreach (var path in swaggerDoc.Paths.Values)
        {
            // The summaries are full sentences; linters and documentation tools look for a description.
            foreach (var operation in path.Operations?.Values.AsEnumerable() ?? [])
            {
                operation.Description ??= operation.Summary;
            }

            if (path.Operations is { } operations && operations.ContainsKey(HttpMethod.Put)
                && operations.TryGetValue(HttpMethod.Get, out var get) && get.Responses?.TryGetValue("200", out var ok) == true && ok is OpenApiResponse okResponse)
            {
                ContractOperationFilter.AddETag(okResponse);
            }
        }

        // A POST creating a resource that is then updated with If-Match answers its ETag, as that resource's GET does.
        var updatable = swaggerDoc.Paths.Values
            .Where(path => path.Operations is { } ops && ops.ContainsKey(HttpMethod.Put) && ops.ContainsKey(HttpMethod.Get))
            .Select(path => JsonSchemaId(path.Operations![HttpMethod.Get], "200")).OfType<string>().ToHashSet(StringComparer.Ordinal);
        foreach (var path in swaggerDoc.Paths.Values)
        {
            if (path.Operations?.TryGetValue(HttpMethod.Post, out var post) == true && post.Responses?.TryGetValue("201", out var created) == true
                && created is OpenApiResponse createdResponse && JsonSchemaId(post, "201") is { } id && updatable.Contains(id))
            {
                ContractOperationFilter.AddETag(createdResponse);
            }
        }

        swaggerDoc.Components ??= new OpenApiComponents();
        swaggerDoc.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        swaggerDoc.Components.Schemas[ContractOperationFilter.ProblemSchema] = Problem(validation: false);
        swaggerDoc.Components.Schemas[ContractOperationFilter.ValidationProblemSchema] = Problem(validation: true);
        SchemaReferences.RemoveUnused(swaggerDoc);
    }

    /// <summary>The component a JSON answer of <paramref name="status"/> refers to, if any.</summary>
    private static string? JsonSchemaId(OpenApiOperation operation, string status) =>
        operation.Responses?.TryGetValue(status, out var response) == true && response.Content?.TryGetValue("application/json", out var media) == true
            && media.Schema is OpenApiSchemaReference reference ? reference.Reference.Id : null;

    /// <summary>RFC 9457 problem details as the service writes them (ServiceDefaults adds traceId and instance).</summary>
    private static OpenApiSchema Problem(bool validation)
    {
        OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String | JsonSchemaType.Null, Description = description };
        var schema = new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = validation ? "A problem with the fields at fault." : "RFC 9457 problem details.",
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = Text("A URI naming the kind of problem."),
                ["title"] = Text("A short summary of the kind of problem."),
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer | JsonSchemaType.Null, Format = "int32", Description = "The HTTP status code." },
                ["detail"] = Text("What went wrong with this request."),
                ["instance"] = Text("The request path."),
                ["traceId"] = Text("Quote it when reporting the problem."),
            },
            // Extensions (traceId and others) may be added by the service.
            AdditionalPropertiesAllowed = true,
        };
        if (validation)
        {
            schema.Properties["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "The messages for each field at fault, keyed by field name (\"[index].field\" in a batch).",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            };
            schema.Required = new SortedSet<string>(StringComparer.Ordinal) { "errors" };
        }

        return schema;
    }
}
