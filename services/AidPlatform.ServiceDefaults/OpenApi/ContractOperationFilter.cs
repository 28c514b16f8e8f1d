using System.Globalization;
using System.Text.Json.Nodes;
using AidPlatform.ServiceDefaults.Http;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace AidPlatform.ServiceDefaults.OpenApi;

/// <summary>
/// Declares on every operation what the service defaults do to it: the headers, the error answers of the
/// middleware and handlers (all <c>application/problem+json</c>), its security, and the media types of its bodies.
/// </summary>
internal sealed class ContractOperationFilter : IOperationFilter
{
    public const string ProblemSchema = "ProblemDetails";
    public const string ValidationProblemSchema = "ValidationProblemDetails";

    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var api = context.ApiDescription;
        var metadata = api.ActionDescriptor.EndpointMetadata;
        var method = api.HttpMethod?.ToUpperInvariant();
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        var createsOnPut = metadata.OfType<CreatesOnPutMetadata>().Any();
        operation.Responses ??= [];
        operation.Parameters ??= [];

        ApplyResponseBodies(operation, context);
        if (metadata.OfType<IAcceptsMetadata>().Any(accepts => accepts.ContentTypes.Any(IsCsv)))
        {
            operation.RequestBody = FileUpload();
        }

        var query = operation.Parameters.Where(p => p.In == ParameterLocation.Query).Select(p => p.Name).ToList();
        var errors = new List<int> { 400, 406, 429, 503 };
        if (!anonymous)
        {
            errors.AddRange([401, 403]);
        }

        if (operation.Parameters.Any(p => p.In == ParameterLocation.Path) || query.Contains("ngoId") || query.Contains("projectId"))
        {
            errors.Add(404);
        }

        if (operation.RequestBody is not null || query.Count > 0)
        {
            errors.Add(422);
        }

        if (method is "POST" or "PUT")
        {
            errors.Add(409);
        }

        if (method is "PUT")
        {
            errors.Add(412);
            if (!createsOnPut)
            {
                errors.Add(428);
            }
        }

        foreach (var status in errors)
        {
            operation.Responses.TryAdd(status.ToString(CultureInfo.InvariantCulture), new OpenApiResponse());
        }

        ApplyRequestHeaders(operation, method, createsOnPut);
        ApplyResponses(operation, context, method, metadata.OfType<CreatesManyMetadata>().Any());

        // Explicit on each operation, so that an anonymous one is visibly open and a client never guesses.
        operation.Security = anonymous
            ? []
            : [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", context.Document)] = [] }];
    }

    /// <summary>
    /// One schema per media type: ApiExplorer keeps one type per status code, so a 200 declared as JSON
    /// (<c>Produces&lt;Breakdown&gt;</c>) and as CSV (<c>Produces&lt;string&gt;("text/csv")</c>) would lose one of them.
    /// The endpoint's own metadata still has both.
    /// </summary>
    private static void ApplyResponseBodies(OpenApiOperation operation, OperationFilterContext context)
    {
        var declared = context.ApiDescription.ActionDescriptor.EndpointMetadata.OfType<IProducesResponseTypeMetadata>()
            .Where(p => p.StatusCode is >= 200 and < 300 && p.Type is not null && p.Type != typeof(void) && p.ContentTypes.Any());
        foreach (var group in declared.GroupBy(p => p.StatusCode).Where(g => g.Select(p => p.Type).Distinct().Count() > 1))
        {
            var status = group.Key.ToString(CultureInfo.InvariantCulture);
            var response = operation.Responses!.TryGetValue(status, out var existing) && existing is OpenApiResponse concrete ? concrete : new OpenApiResponse();
            operation.Responses[status] = response;
            response.Content = new Dictionary<string, OpenApiMediaType>();
            foreach (var produces in group)
            {
                foreach (var mediaType in produces.ContentTypes)
                {
                    // A string answer in a non-JSON media type is the document itself, not a JSON string.
                    response.Content[mediaType] = new OpenApiMediaType
                    {
                        Schema = produces.Type == typeof(string) && !mediaType.Contains("json", StringComparison.OrdinalIgnoreCase)
                            ? new OpenApiSchema { Type = JsonSchemaType.String }
                            : context.SchemaGenerator.GenerateSchema(produces.Type!, context.SchemaRepository),
                    };
                }
            }
        }
    }

    /// <summary>
    /// A CSV import takes the file either as the body or as the <c>file</c> part of a form. <c>format: binary</c> is
    /// what makes a generated client take a file (NSwag's <c>FileParameter</c>) rather than a JSON-encoded string.
    /// </summary>
    private static OpenApiRequestBody FileUpload() => new()
    {
        Required = true,
        Description = "The CSV file: a multipart/form-data part named file, or the text/csv body itself.",
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["multipart/form-data"] = new()
            {
                Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Required = new SortedSet<string>(StringComparer.Ordinal) { "file" },
                    Properties = new Dictionary<string, IOpenApiSchema> { ["file"] = Binary() },
                },
            },
            ["text/csv"] = new() { Schema = Binary() },
        },
    };

    private static OpenApiSchema Binary() => new() { Type = JsonSchemaType.String, Format = "binary" };

    private static void ApplyRequestHeaders(OpenApiOperation operation, string? method, bool createsOnPut)
    {
        if (method is "POST" && operation.Responses!.Keys.Any(status => status is "201" or "202"))
        {
            AddHeader(operation, IdempotencyMiddleware.HeaderName, required: false,
                "Makes a retry safe: the same key with the same body replays the first answer; with another body, 422.",
                new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 200 });
        }

        if (method is "PUT")
        {
            AddHeader(operation, "If-Match", required: !createsOnPut,
                createsOnPut
                    ? "The ETag of the version this update replaces; without it the PUT creates or replaces."
                    : "The ETag of the version this update replaces (from GET or the last PUT): missing → 428, stale or weak → 412.",
                new OpenApiSchema { Type = JsonSchemaType.String });
            if (createsOnPut)
            {
                AddHeader(operation, "If-None-Match", required: false, "* makes the PUT create-only: 412 if the resource exists.",
                    new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("*")] });
            }
        }
    }

    private static void AddHeader(OpenApiOperation operation, string name, bool required, string description, OpenApiSchema schema)
    {
        // A handler that binds the header itself has it already; ours would be a duplicate parameter.
        if (operation.Parameters!.Any(p => p.In == ParameterLocation.Header && string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase)))
        {
            return;
        }

        operation.Parameters!.Add(new OpenApiParameter { Name = name, In = ParameterLocation.Header, Required = required, Description = description, Schema = schema });
    }

    private static void ApplyResponses(OpenApiOperation operation, OperationFilterContext context, string? method, bool createsMany)
    {
        foreach (var (status, response) in operation.Responses!)
        {
            if (response is not OpenApiResponse concrete)
            {
                continue;
            }

            var code = int.TryParse(status, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;
            if (code >= 400)
            {
                var schema = code is 400 or 422 ? ValidationProblemSchema : ProblemSchema;
                concrete.Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(schema, context.Document) },
                };
                concrete.Description = ErrorDescriptions.TryGetValue(code, out var description) ? description : ReasonPhrases.GetReasonPhrase(code);
            }
            else if (string.IsNullOrWhiteSpace(concrete.Description))
            {
                concrete.Description = ReasonPhrases.GetReasonPhrase(code) is { Length: > 0 } phrase ? phrase : "Success";
            }

            if (code is 429 or 503)
            {
                AddHeader(concrete, "Retry-After", "Seconds to wait before trying again.", new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32", Minimum = "0" });
            }

            if ((code == 201 && !createsMany) || code == 202)
            {
                AddHeader(concrete, "Location", code == 201 ? "The URL of the created resource." : "The URL at which to follow the accepted work.",
                    new OpenApiSchema { Type = JsonSchemaType.String, Format = "uri-reference" });
            }

            if (method is "PUT" && code is >= 200 and < 300)
            {
                AddETag(concrete);
            }

            if (concrete.Content?.Keys.Any(IsCsv) == true)
            {
                AddHeader(concrete, "Content-Disposition", "attachment; filename=\"<report>-<by>-<date>.csv\"", new OpenApiSchema { Type = JsonSchemaType.String });
            }
        }
    }

    internal static void AddETag(OpenApiResponse response) =>
        AddHeader(response, "ETag", "The version of the resource, for If-Match on the next PUT.", new OpenApiSchema { Type = JsonSchemaType.String });

    private static void AddHeader(OpenApiResponse response, string name, string description, OpenApiSchema schema)
    {
        response.Headers ??= new Dictionary<string, IOpenApiHeader>();
        response.Headers.TryAdd(name, new OpenApiHeader { Description = description, Schema = schema });
    }

    private static bool IsCsv(string mediaType) => mediaType.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase);

    private static readonly Dictionary<int, string> ErrorDescriptions = new()
    {
        [400] = "The request cannot be read: malformed JSON, a value of the wrong type, an unknown parameter.",
        [401] = "No valid bearer token.",
        [403] = "The caller's role may not do this.",
        [404] = "No such resource, or one the caller may not see.",
        [406] = "The operation cannot answer in a media type the Accept header allows.",
        [409] = "Conflicts with the resource's state, a rule, or a request still running with the same Idempotency-Key.",
        [412] = "If-Match names another version, or If-None-Match: * and the resource exists.",
        [415] = "The body's media type is not one the operation accepts.",
        [422] = "Readable but invalid: errors names each field and what is wrong with it.",
        [428] = "If-Match is required: send the ETag of the version being updated.",
        [429] = "Too many requests: wait for Retry-After seconds.",
        [503] = "A dependency (the database, the broker, another service) is unavailable: retry after Retry-After seconds.",
    };
}
