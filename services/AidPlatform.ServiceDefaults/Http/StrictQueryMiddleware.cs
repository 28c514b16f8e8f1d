using AidPlatform.ServiceDefaults.Validation;
using System.Globalization;
using AidPlatform.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Http;

namespace AidPlatform.ServiceDefaults.Http;

/// <summary>
/// Reads the query string before the endpoint binds it: a parameter the operation does not declare is a 400
/// (a misspelt filter must never widen a report silently), so is a value that does not parse as the declared
/// type or one given twice, and so is one declared <see cref="OnlyWithAttribute"/> another value that is not given;
/// a value outside the declared enumeration is a 422 naming the allowed values.
/// Every message is in the API's words, never the framework's.
/// </summary>
internal sealed class StrictQueryMiddleware(RequestDelegate next, EndpointCatalogue catalogue)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint() is not { } endpoint || catalogue.QueryOf(endpoint) is not { } declared)
        {
            await next(context);
            return;
        }

        var malformed = new ValidationErrors();
        var invalid = new ValidationErrors();
        foreach (var (name, values) in context.Request.Query)
        {
            if (!declared.TryGetValue(name, out var parameter))
            {
                malformed.Add(name, "unknown parameter");
                continue;
            }

            if (parameter.OnlyWith is { } only && !string.Equals(context.Request.Query[only.Parameter], only.Value, StringComparison.Ordinal))
            {
                malformed.Add(name, $"unknown parameter (only with {only.Parameter}={only.Value})");
                continue;
            }

            var type = Nullable.GetUnderlyingType(parameter.Type) ?? parameter.Type;
            if (type.IsArray)
            {
                continue;
            }

            if (values.Count > 1)
            {
                malformed.Add(name, "given more than once");
                continue;
            }

            var value = values.ToString();
            if (Expected(type, value) is { } expected)
            {
                malformed.Add(name, expected);
            }
            else if (parameter.AllowedValues is { } allowed && !allowed.Contains(value, StringComparer.Ordinal))
            {
                invalid.Add(name, $"must be one of {string.Join(", ", allowed)}");
            }
        }

        if (malformed.Any || invalid.Any)
        {
            var status = malformed.Any ? StatusCodes.Status400BadRequest : StatusCodes.Status422UnprocessableEntity;
            await Problems.Write(context, status, malformed.Any ? "Malformed request" : "Unprocessable request",
                malformed.Any ? "The query string could not be read." : "A query value is not one the operation accepts.",
                (malformed.Any ? malformed : invalid).ToDictionary());
            return;
        }

        await next(context);
    }

    /// <summary>What was expected, when <paramref name="value"/> does not read as <paramref name="type"/>; else null.</summary>
    internal static string? Expected(Type type, string value)
    {
        var invariant = CultureInfo.InvariantCulture;
        return type switch
        {
            _ when type == typeof(DateOnly) => DateOnly.TryParseExact(value, "yyyy-MM-dd", invariant, DateTimeStyles.None, out _) ? null : "expected a date YYYY-MM-DD",
            _ when type == typeof(Guid) => Guid.TryParse(value, out _) ? null : "expected a UUID",
            _ when type == typeof(int) => int.TryParse(value, NumberStyles.AllowLeadingSign, invariant, out _) ? null : "expected an integer",
            _ when type == typeof(long) => long.TryParse(value, NumberStyles.AllowLeadingSign, invariant, out _) ? null : "expected an integer",
            _ when type == typeof(decimal) => decimal.TryParse(value, NumberStyles.Number, invariant, out _) ? null : "expected a number",
            _ when type == typeof(bool) => bool.TryParse(value, out _) ? null : "expected true or false",
            _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) =>
                DateTimeOffset.TryParse(value, invariant, DateTimeStyles.AssumeUniversal, out _) ? null : "expected an instant, ISO 8601 (2025-01-31T12:00:00Z)",
            _ => null,
        };
    }
}
