using System.Text.Json.Nodes;

namespace AidPlatform.Contract.Tests;

/// <summary>
/// The "document is the contract" rules of API.md v1.1, each a function from a document to its violations,
/// so one failure lists every operation or schema that breaks a rule.
/// </summary>
public static class Rules
{
    public static readonly IReadOnlyDictionary<string, Func<OpenApiDocument, IEnumerable<string>>> All =
        new Dictionary<string, Func<OpenApiDocument, IEnumerable<string>>>
        {
            ["1 numbers are decimal"] = NumbersAreDecimal,
            ["2 schemas list required and mark nullables"] = SchemasListRequiredAndMarkNullables,
            ["3 enumerations have enum"] = EnumerationsHaveEnum,
            ["4 operations declare their problems"] = OperationsDeclareTheirProblems,
            ["5 headers are declared"] = HeadersAreDeclared,
            ["6 security is explicit"] = SecurityIsExplicit,
            ["7 schemas, servers, ids and parameter formats"] = SchemasServersIdsAndParameterFormats,
        };

    private static readonly string[] EnumeratedNames = ["type", "status", "kind", "by"];

    public static IEnumerable<string> NumbersAreDecimal(OpenApiDocument document) =>
        Walk(document.Root, "$").SelectMany(node =>
        {
            var (schema, path) = node;
            var format = schema["format"] is JsonValue f && f.TryGetValue<string>(out var s) ? s : null;
            var isNumber = schema["type"] switch
            {
                JsonValue t when t.TryGetValue<string>(out var type) => type == "number",
                JsonArray types => types.Any(t => t?.GetValue<string>() == "number"),
                _ => false,
            };
            return format is "double" or "float" ? [$"{path}: format {format}"]
                : isNumber && format != "decimal" ? [$"{path}: type number without format decimal (format {format ?? "none"})"]
                : Array.Empty<string>();
        });

    public static IEnumerable<string> SchemasListRequiredAndMarkNullables(OpenApiDocument document)
    {
        foreach (var (name, node) in document.Root["components"]?["schemas"]?.AsObject() ?? [])
        {
            if (node?["properties"] is not JsonObject { Count: > 0 } properties)
            {
                continue;
            }

            var required = node["required"]?.AsArray().Select(r => r!.GetValue<string>()).ToHashSet() ?? [];
            if (node["required"] is null && properties.Any(p => !OpenApiDocument.IsNullable(p.Value)))
            {
                yield return $"{name}: no required list, yet {string.Join(", ", properties.Where(p => !OpenApiDocument.IsNullable(p.Value)).Select(p => p.Key))} are not nullable";
                continue;
            }

            // A property that may be absent reads as null in a generated client: say so.
            foreach (var (property, schema) in properties)
            {
                if (!required.Contains(property) && !OpenApiDocument.IsNullable(schema))
                {
                    yield return $"{name}.{property}: neither required nor nullable";
                }
            }
        }
    }

    public static IEnumerable<string> EnumerationsHaveEnum(OpenApiDocument document)
    {
        foreach (var (name, node) in document.Root["components"]?["schemas"]?.AsObject() ?? [])
        {
            foreach (var (property, schema) in document.PropertiesOf(node))
            {
                // A problem's type is a URI reference, not an enumeration.
                var isProblem = document.PropertiesOf(node).Any(p => p.Name == "instance");
                if (EnumeratedNames.Contains(property) && !(isProblem && property == "type") && document.TypesOf(schema).Contains("string") && !document.HasEnum(schema))
                {
                    yield return $"{name}.{property}: a string enumeration without enum";
                }
            }
        }

        foreach (var op in document.Operations())
        {
            foreach (var parameter in op.Parameters)
            {
                var name = parameter["name"]!.GetValue<string>();
                if (EnumeratedNames.Contains(name) && document.TypesOf(parameter["schema"]).Contains("string") && !document.HasEnum(parameter["schema"]))
                {
                    yield return $"{op.Name}: parameter {name} without enum";
                }
            }
        }
    }

    public static IEnumerable<string> OperationsDeclareTheirProblems(OpenApiDocument document)
    {
        foreach (var op in document.Operations())
        {
            var expected = new List<string> { "400", "406", "429", "503" };
            var hasQuery = op.ParametersIn("query").Any();
            if (!op.IsAnonymous)
            {
                expected.AddRange(["401", "403"]);
            }

            if (op.ParametersIn("path").Any() || op.Parameter("query", "ngoId") is not null || op.Parameter("query", "projectId") is not null)
            {
                expected.Add("404");
            }

            if (op.Node["requestBody"] is not null || hasQuery)
            {
                expected.Add("422");
            }

            if (op.Method is "POST" or "PUT")
            {
                expected.Add("409");
            }

            if (op.Method == "PUT")
            {
                expected.Add("412");
            }

            if (op.Method == "PUT" && op.Parameter("header", "If-Match")?["required"] is JsonValue required && required.GetValue<bool>())
            {
                expected.Add("428");
            }

            var missing = expected.Where(status => op.Response(status) is null).ToList();
            if (missing.Count > 0)
            {
                yield return $"{op.Name}: does not declare {string.Join(", ", missing)}";
            }

            foreach (var (status, response) in op.Responses.Where(r => r.Status[0] is '4' or '5'))
            {
                var content = response["content"]?.AsObject();
                if (content is null || content.Count != 1 || content["application/problem+json"]?["schema"] is null)
                {
                    yield return $"{op.Name} {status}: media types [{string.Join(", ", content?.Select(c => c.Key) ?? [])}], expected exactly application/problem+json with a schema";
                }
                else if (status is "400" or "422" && !document.PropertiesOf(content["application/problem+json"]!["schema"]).Any(p => p.Name == "errors"))
                {
                    yield return $"{op.Name} {status}: the problem schema has no errors property";
                }
            }
        }
    }

    public static IEnumerable<string> HeadersAreDeclared(OpenApiDocument document)
    {
        var operations = document.Operations().ToList();
        var putPaths = operations.Where(o => o.Method == "PUT").Select(o => o.Path).ToHashSet();
        foreach (var op in operations)
        {
            var creates = op.Response("201") is not null || op.Response("202") is not null;
            if (op.Method == "POST" && creates && op.Parameter("header", "Idempotency-Key") is null)
            {
                yield return $"{op.Name}: no Idempotency-Key header parameter";
            }

            if (op.Method == "PUT" && op.Parameter("header", "If-Match") is null)
            {
                yield return $"{op.Name}: no If-Match header parameter";
            }

            foreach (var (status, response) in op.Responses)
            {
                var needs = new List<string>();
                if (op.Method == "PUT" && status[0] == '2')
                {
                    needs.Add("ETag");
                }

                if (op.Method == "GET" && status == "200" && putPaths.Contains(op.Path))
                {
                    needs.Add("ETag");
                }

                if (status == "202" || (status == "201" && op.Id != "RecordDisbursementBatch"))
                {
                    needs.Add("Location");
                }

                if (status is "429" or "503")
                {
                    needs.Add("Retry-After");
                }

                if (response["content"]?["text/csv"] is not null)
                {
                    needs.Add("Content-Disposition");
                }

                var headers = response["headers"]?.AsObject();
                foreach (var header in needs.Where(h => headers is null || !headers.Any(d => string.Equals(d.Key, h, StringComparison.OrdinalIgnoreCase))))
                {
                    yield return $"{op.Name} {status}: no {header} response header";
                }
            }
        }
    }

    public static IEnumerable<string> SecurityIsExplicit(OpenApiDocument document)
    {
        foreach (var op in document.Operations())
        {
            var security = op.Node["security"] as JsonArray;
            if (op.IsAnonymous && security is not { Count: 0 })
            {
                yield return $"{op.Name}: anonymous, but without security: []";
            }
            else if (!op.IsAnonymous && (security ?? document.Root["security"] as JsonArray) is not { Count: > 0 })
            {
                yield return $"{op.Name}: protected, but without a security requirement";
            }
        }
    }

    public static IEnumerable<string> SchemasServersIdsAndParameterFormats(OpenApiDocument document)
    {
        if (document.Root["servers"] is not JsonArray { Count: > 0 })
        {
            yield return "servers: missing or empty";
        }

        var operations = document.Operations().ToList();
        foreach (var duplicate in operations.GroupBy(o => o.Id).Where(g => g.Count() > 1 || g.Key == "(no operationId)"))
        {
            yield return $"operationId {duplicate.Key}: {string.Join(", ", duplicate.Select(o => $"{o.Method} {o.Path}"))}";
        }

        foreach (var op in operations)
        {
            foreach (var (status, response) in op.Responses.Where(r => r.Status[0] == '2'))
            {
                if (response["content"]?["application/json"] is JsonObject json && json["schema"] is null)
                {
                    yield return $"{op.Name} {status}: application/json without a schema";
                }
            }

            foreach (var parameter in op.Parameters)
            {
                var name = parameter["name"]!.GetValue<string>();
                var location = parameter["in"]!.GetValue<string>();
                var schema = document.Resolve(parameter["schema"]);
                var format = schema?["format"]?.GetValue<string>();
                if (location == "query" && name == "pageSize"
                    && (schema?["minimum"]?.GetValue<decimal>() != 1 || schema?["maximum"]?.GetValue<decimal>() != 500))
                {
                    yield return $"{op.Name}: pageSize without minimum 1 and maximum 500";
                }

                if (location == "query" && name is "from" or "to" && (op.Path.Contains("/reports", StringComparison.Ordinal) || op.Path.Contains("/disbursements", StringComparison.Ordinal)) && format != "date")
                {
                    yield return $"{op.Name}: {name} has format {format ?? "none"}, expected date";
                }

                if (((location == "query" && name is "ngoId" or "projectId") || (location == "path" && name == "id")) && format != "uuid")
                {
                    yield return $"{op.Name}: {location} parameter {name} has format {format ?? "none"}, expected uuid";
                }
            }
        }
    }

    /// <summary>Every object in the tree with its JSON path: the schemas, wherever they are.</summary>
    private static IEnumerable<(JsonObject Node, string Path)> Walk(JsonNode? node, string path)
    {
        switch (node)
        {
            case JsonObject o:
                yield return (o, path);
                foreach (var (key, child) in o)
                {
                    // Examples are data, not schemas.
                    if (key is "example" or "examples")
                    {
                        continue;
                    }

                    foreach (var inner in Walk(child, $"{path}.{key}"))
                    {
                        yield return inner;
                    }
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    foreach (var inner in Walk(a[i], $"{path}[{i}]"))
                    {
                        yield return inner;
                    }
                }

                break;
        }
    }
}
