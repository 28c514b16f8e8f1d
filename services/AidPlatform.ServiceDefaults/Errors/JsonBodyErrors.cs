using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace AidPlatform.ServiceDefaults.Errors;

/// <summary>
/// Turns a JSON body the serializer could not read into the API's words: the field as clients name it
/// (<c>items[3].valueDate</c>, never <c>$.x</c>) and what was expected there, from the request type's
/// declared shape (never the framework's type names or exception text).
/// </summary>
internal static partial class JsonBodyErrors
{
    public static KeyValuePair<string, string[]> Describe(JsonException exception, Type? requestType)
    {
        var field = Field(exception.Path);
        // The reader's own exception: the text is not JSON at all at that point.
        if (exception.InnerException?.GetType().Name == "JsonReaderException" || exception.Path is null)
        {
            return new(field, [field == "body" ? "expected a JSON body" : "not valid JSON here"]);
        }

        if (exception.Message.Contains("NUL", StringComparison.Ordinal))
        {
            return new(field, ["must not contain a NUL (\\u0000) character"]);
        }

        return new(field, [Expected(TypeAt(requestType, exception.Path))]);
    }

    /// <summary><c>$.items[3].amount</c> becomes <c>items[3].amount</c>, <c>$[2].type</c> <c>[2].type</c>; the root is <c>body</c>.</summary>
    internal static string Field(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "body";
        }

        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        field = QuotedName().Replace(field, m => (m.Index == 0 ? "" : ".") + m.Groups[1].Value);
        return field.Length == 0 ? "body" : field;
    }

    private static string Expected(Type? type)
    {
        if (type is null)
        {
            return "expected a value of another type";
        }

        type = Nullable.GetUnderlyingType(type) ?? type;
        return type switch
        {
            _ when type == typeof(DateOnly) => "expected a date YYYY-MM-DD",
            _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => "expected an instant, ISO 8601 (2025-01-31T12:00:00Z)",
            _ when type == typeof(Guid) => "expected a UUID",
            _ when type == typeof(decimal) || type == typeof(double) => "expected a number",
            _ when type == typeof(int) || type == typeof(long) => "expected an integer",
            _ when type == typeof(bool) => "expected true or false",
            _ when type == typeof(string) => "expected a string",
            _ when type.IsEnum => $"expected one of {string.Join(", ", Enum.GetNames(type).Select(JsonNamingPolicy.KebabCaseLower.ConvertName))}",
            _ when ElementType(type) is not null => "expected an array",
            _ => "expected an object",
        };
    }

    /// <summary>Walks the JSON path through the request type's properties (camelCase names) to the type expected there.</summary>
    private static Type? TypeAt(Type? root, string path)
    {
        var type = root;
        foreach (Match step in Step().Matches(path))
        {
            if (type is null)
            {
                return null;
            }

            if (step.Groups["index"].Success)
            {
                type = ElementType(type);
            }
            else
            {
                var name = step.Groups["name"].Success ? step.Groups["name"].Value : step.Groups["quoted"].Value;
                type = type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)?.PropertyType;
            }
        }

        return type;
    }

    private static Type? ElementType(Type type) =>
        type == typeof(string) ? null
        : type.IsArray ? type.GetElementType()
        : typeof(IEnumerable).IsAssignableFrom(type) && type.IsGenericType ? type.GetGenericArguments()[0]
        : null;

    [GeneratedRegex(@"\['([^']*)'\]")]
    private static partial Regex QuotedName();

    [GeneratedRegex(@"\.(?<name>[A-Za-z0-9_]+)|\['(?<quoted>[^']*)'\]|\[(?<index>\d+)\]")]
    private static partial Regex Step();
}
