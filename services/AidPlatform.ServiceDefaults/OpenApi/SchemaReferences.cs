using Microsoft.OpenApi;

namespace AidPlatform.ServiceDefaults.OpenApi;

/// <summary>Walks the schemas a document uses, to drop components that the filters left unreferenced.</summary>
internal static class SchemaReferences
{
    public static void RemoveUnused(OpenApiDocument document)
    {
        if (document.Components?.Schemas is not { } components)
        {
            return;
        }

        var used = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<IOpenApiSchema>(Roots(document));
        while (pending.TryPop(out var schema))
        {
            if (schema is OpenApiSchemaReference reference)
            {
                if (reference.Reference.Id is { } id && used.Add(id) && components.TryGetValue(id, out var target))
                {
                    pending.Push(target);
                }

                continue;
            }

            foreach (var child in Children(schema))
            {
                pending.Push(child);
            }
        }

        foreach (var unused in components.Keys.Where(id => !used.Contains(id)).ToList())
        {
            components.Remove(unused);
        }
    }

    private static IEnumerable<IOpenApiSchema> Roots(OpenApiDocument document) =>
        document.Paths.Values
            .SelectMany(path => path.Operations?.Values.AsEnumerable() ?? [])
            .SelectMany(operation => (operation.Parameters?.Select(p => p.Schema) ?? [])
                .Concat(operation.RequestBody?.Content?.Values.Select(m => m.Schema) ?? [])
                .Concat((operation.Responses?.Values.AsEnumerable() ?? []).SelectMany(response =>
                    (response.Content?.Values.Select(m => m.Schema) ?? [])
                    .Concat(response.Headers?.Values.Select(h => h.Schema) ?? []))))
            .OfType<IOpenApiSchema>();

    private static IEnumerable<IOpenApiSchema> Children(IOpenApiSchema schema) =>
        new[] { schema.Items, schema.AdditionalProperties, schema.Not }.OfType<IOpenApiSchema>()
            .Concat(schema.Properties?.Values ?? [])
            .Concat(schema.AllOf ?? [])
            .Concat(schema.AnyOf ?? [])
            .Concat(schema.OneOf ?? []);
}
