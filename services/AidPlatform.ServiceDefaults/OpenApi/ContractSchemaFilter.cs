using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;
using Swashbuckle.AspNetCore.SwaggerGen;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace AidPlatform.ServiceDefaults.OpenApi;

/// <summary>
/// Makes every schema say what the wire carries: decimals as <c>format: decimal</c>, enums as the strings the
/// serializer writes, and on objects which properties are required and which may be null.
/// </summary>
internal sealed class ContractSchemaFilter(IOptions<HttpJsonOptions> json) : ISchemaFilter
{
    // The minimal APIs' serializer options, not MVC's that Swashbuckle reads: they carry the enum converter.
    private readonly JsonSerializerOptions _serializer = json.Value.SerializerOptions;

    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema concrete)
        {
            return;
        }

        if (concrete.Type?.HasFlag(JsonSchemaType.Number) == true && concrete.Format is "double" or "float")
        {
            // Money and rates: a client must not round-trip them through binary floating point.
            concrete.Format = "decimal";
        }

        var enumType = Nullable.GetUnderlyingType(context.Type) ?? context.Type;
        if (enumType.IsEnum)
        {
            ApplyEnum(concrete, enumType);
        }

        if (context.MemberInfo is null && concrete.Properties is { Count: > 0 })
        {
            ApplyProperties(concrete, context.Type, context.SchemaRepository);
        }
    }

    private void ApplyEnum(OpenApiSchema schema, Type enumType)
    {
        var values = Enum.GetValues(enumType).Cast<object>()
            .Select(value => JsonSerializer.SerializeToNode(value, enumType, _serializer))
            .ToList();
        if (values.All(value => value is JsonValue v && v.GetValueKind() == JsonValueKind.String))
        {
            schema.Type = JsonSchemaType.String | (schema.Type & JsonSchemaType.Null);
            schema.Format = null;
            schema.Enum = [.. values.OfType<JsonNode>()];
        }
    }

    private void ApplyProperties(OpenApiSchema schema, Type type, SchemaRepository repository)
    {
        var nullability = new NullabilityInfoContext();
        var ctorParameters = type.GetConstructors().SelectMany(c => c.GetParameters()).ToList();
        schema.Required ??= new SortedSet<string>(StringComparer.Ordinal);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var name = JsonName(property);
            if (!schema.Properties!.TryGetValue(name, out var propertySchema))
            {
                continue;
            }

            // On a positional record, [Required] without "property:" lands on the constructor parameter.
            var parameter = ctorParameters.FirstOrDefault(p => p.Name == property.Name && p.ParameterType == property.PropertyType);
            var attributes = property.GetCustomAttributes(true).Concat(parameter?.GetCustomAttributes(true) ?? []).ToList();
            var markedRequired = attributes.Any(a => a is RequiredAttribute or RequiredMemberAttribute);
            var nullableType = Nullable.GetUnderlyingType(property.PropertyType) is not null
                || (!property.PropertyType.IsValueType && nullability.Create(property).ReadState != NullabilityState.NotNull);

            if (markedRequired || !nullableType)
            {
                schema.Required.Add(name);
            }
            else
            {
                schema.Required.Remove(name);
            }

            if (propertySchema is OpenApiSchema inline)
            {
                if (attributes.OfType<AllowedValuesAttribute>().FirstOrDefault() is { } allowed)
                {
                    // On a list of strings (such as a report's alerts) the values are its items'.
                    var values = inline.Type?.HasFlag(JsonSchemaType.Array) == true && inline.Items is OpenApiSchema items ? items : inline;
                    values.Enum = [.. allowed.Values.Select(value => JsonSerializer.SerializeToNode(value, _serializer)).OfType<JsonNode>()];
                }

                // [Required] refuses an empty string too, even beside a [StringLength] whose minimum is 0.
                if (attributes.OfType<RequiredAttribute>().Any(r => !r.AllowEmptyStrings) && inline.Type?.HasFlag(JsonSchemaType.String) == true && inline.Enum is not { Count: > 0 } && inline.MinLength is null or 0)
                {
                    inline.MinLength = 1;
                }
            }

            schema.Properties[name] = WithNullability(propertySchema, nullableType && !markedRequired, repository);
        }

        if (schema.Required.Count == 0)
        {
            schema.Required = null;
        }
    }

    private string JsonName(PropertyInfo property) =>
        property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name
        ?? _serializer.PropertyNamingPolicy?.ConvertName(property.Name)
        ?? property.Name;

    /// <summary>
    /// A reference cannot carry <c>nullable</c> (OpenAPI 3.0), so a nullable one is wrapped, repeating the target's
    /// <c>type</c> (linters reject <c>nullable</c> without it). <c>oneOf</c> rather than <c>allOf</c>: with a sibling
    /// <c>type</c>, NSwag turns an <c>allOf</c> into a new class per property (or a plain string for an enum),
    /// while a single-member <c>oneOf</c> stays the referenced type.
    /// </summary>
    private static IOpenApiSchema WithNullability(IOpenApiSchema schema, bool nullable, SchemaRepository repository)
    {
        switch (schema)
        {
            case OpenApiSchemaReference reference when nullable:
                var targetType = reference.Reference.Id is { } id && repository.Schemas.TryGetValue(id, out var target) ? target.Type : null;
                return new OpenApiSchema { OneOf = [reference], Type = (targetType ?? JsonSchemaType.Object) | JsonSchemaType.Null };
            case OpenApiSchema { OneOf: [OpenApiSchemaReference only] } wrapper when !nullable && wrapper.Properties is not { Count: > 0 }:
                return only;
            case OpenApiSchema { Type: { } type } concrete:
                concrete.Type = nullable ? type | JsonSchemaType.Null : type & ~JsonSchemaType.Null;
                return concrete;
            default:
                return schema;
        }
    }
}
