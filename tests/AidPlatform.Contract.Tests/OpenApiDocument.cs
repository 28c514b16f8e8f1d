using System.Text.Json.Nodes;

namespace AidPlatform.Contract.Tests;

/// <summary>One operation of a document, with its path item's parameters merged in and every <c>$ref</c> reachable.</summary>
public sealed record Operation(string Path, string Method, JsonObject Node, IReadOnlyList<JsonObject> Parameters)
{
    public string Id => Node["operationId"]?.GetValue<string>() ?? "(no operationId)";

    public string Name => $"{Method} {Path} ({Id})";

    public bool IsAnonymous => OpenApiDocument.IsAnonymousPath(Path);

    public IEnumerable<JsonObject> ParametersIn(string location) =>
        Parameters.Where(p => p["in"]?.GetValue<string>() == location);

    public JsonObject? Parameter(string location, string name) =>
        ParametersIn(location).FirstOrDefault(p => string.Equals(p["name"]?.GetValue<string>(), name, StringComparison.OrdinalIgnoreCase));

    public IEnumerable<(string Status, JsonObject Response)> Responses { get; init; } = [];

    public JsonObject? Response(string status) => Responses.FirstOrDefault(r => r.Status == status).Response;
}

/// <summary>A Swagger document (OpenAPI 3.0 or 3.1) read as JSON.</summary>
public sealed class OpenApiDocument(JsonObject root)
{
    public static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options"];

    public JsonObject Root { get; } = root;

    public static bool IsAnonymousPath(string path) =>
        path.StartsWith("/health", StringComparison.Ordinal) || path.StartsWith("/api/v1/reference", StringComparison.Ordinal)
        || path.StartsWith("/api/v1/public", StringComparison.Ordinal) || path.StartsWith("/dashboard", StringComparison.Ordinal);

    public IEnumerable<Operation> Operations()
    {
        foreach (var (path, item) in Root["paths"]?.AsObject() ?? [])
        {
            var shared = (item?["parameters"]?.AsArray() ?? []).Select(p => Resolve(p)!).ToList();
            foreach (var method in Methods)
            {
                if (item?[method] is not JsonObject op)
                {
                    continue;
                }

                var own = (op["parameters"]?.AsArray() ?? []).Select(p => Resolve(p)!).ToList();
                var parameters = own.Concat(shared.Where(s => !own.Any(o => Same(o, s)))).ToList();
                var responses = (op["responses"]?.AsObject() ?? []).Select(r => (r.Key, Resolve(r.Value)!)).ToList();
                yield return new Operation(path, method.ToUpperInvariant(), op, parameters) { Responses = responses };
            }
        }
    }

    /// <summary>Follows local <c>$ref</c>s (<c>#/components/...</c>) until a node that is not one.</summary>
    public JsonObject? Resolve(JsonNode? node)
    {
        var current = node as JsonObject;
        for (var hops = 0; current?["$ref"] is JsonValue reference && hops < 20; hops++)
        {
            JsonNode? target = Root;
            foreach (var segment in reference.GetValue<string>().TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                target = target?[segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)];
            }

            current = target as JsonObject;
        }

        return current;
    }

    /// <summary>The properties of a schema, through <c>$ref</c> and <c>allOf</c>.</summary>
    public IEnumerable<(string Name, JsonNode? Schema)> PropertiesOf(JsonNode? schema)
    {
        var resolved = Resolve(schema);
        if (resolved is null)
        {
            yield break;
        }

        foreach (var (name, property) in resolved["properties"]?.AsObject() ?? [])
        {
            yield return (name, property);
        }

        foreach (var part in resolved["allOf"]?.AsArray() ?? [])
        {
            foreach (var property in PropertiesOf(part))
            {
                yield return property;
            }
        }
    }

    /// <summary>The schema's type(s), through <c>$ref</c> and a nullable <c>oneOf</c>/<c>anyOf</c>/<c>allOf</c> wrapper.</summary>
    public IReadOnlyList<string> TypesOf(JsonNode? schema)
    {
        var resolved = Resolve(schema);
        return resolved?["type"] switch
        {
            JsonValue single => [single.GetValue<string>()],
            JsonArray many => many.Select(t => t!.GetValue<string>()).ToList(),
            _ => (resolved?["oneOf"] ?? resolved?["anyOf"] ?? resolved?["allOf"])?.AsArray().SelectMany(TypesOf).ToList() ?? [],
        };
    }

    /// <summary>An enumeration anywhere the schema leads (its own, a referenced one, one branch of a nullable wrapper).</summary>
    public bool HasEnum(JsonNode? schema)
    {
        var resolved = Resolve(schema);
        return resolved?["enum"] is JsonArray { Count: > 0 }
            || ((resolved?["oneOf"] ?? resolved?["anyOf"] ?? resolved?["allOf"])?.AsArray().Any(HasEnum) ?? false);
    }

    /// <summary>Nullable as 3.0 says it (<c>nullable: true</c>) or as 3.1 does (a type array or a branch with "null").</summary>
    public static bool IsNullable(JsonNode? schema) => schema switch
    {
        JsonObject o when o["nullable"] is JsonValue v && v.GetValue<bool>() => true,
        JsonObject o when o["type"] is JsonArray types && types.Any(t => t?.GetValue<string>() == "null") => true,
        JsonObject o when o["type"] is JsonValue t && t.GetValue<string>() == "null" => true,
        JsonObject o => (o["oneOf"] ?? o["anyOf"])?.AsArray().Any(IsNullable) ?? false,
        _ => false,
    };

    private static bool Same(JsonObject a, JsonObject b) =>
        a["name"]?.GetValue<string>() == b["name"]?.GetValue<string>() && a["in"]?.GetValue<string>() == b["in"]?.GetValue<string>();
}
