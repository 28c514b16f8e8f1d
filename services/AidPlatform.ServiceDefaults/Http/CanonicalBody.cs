using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;

namespace AidPlatform.ServiceDefaults.Http;

/// <summary>
/// The fingerprint an <c>Idempotency-Key</c> is bound to: the body as the API reads it, not as it was
/// spelled. JSON is hashed canonically (object keys sorted, no whitespace, numbers by value, so 1.50 and 1.5
/// are one body); a multipart upload by its parts' names and contents, not its random boundary; anything
/// else by its bytes. Leaves the body readable from the start.
/// </summary>
internal static class CanonicalBody
{
    public static async Task<byte[]> Hash(HttpRequest request, CancellationToken cancellationToken)
    {
        request.EnableBuffering();
        try
        {
            var type = request.ContentType is { } contentType && MediaTypeHeaderValue.TryParse(contentType, out var parsed) ? parsed : null;
            if (type?.MediaType.Value is { } media && media.EndsWith("json", StringComparison.OrdinalIgnoreCase))
            {
                try
                {
                    using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
                    using var buffer = new MemoryStream();
                    await using (var writer = new Utf8JsonWriter(buffer))
                    {
                        Write(writer, document.RootElement);
                    }

                    return SHA256.HashData(buffer.ToArray());
                }
                catch (JsonException)
                {
                    // Not JSON after all: the endpoint answers 400; hash the bytes.
                    request.Body.Position = 0;
                }
            }
            else if (type?.MediaType.Value?.StartsWith("multipart/", StringComparison.OrdinalIgnoreCase) == true
                     && HeaderUtilities.RemoveQuotes(type.Boundary).Value is { Length: > 0 } boundary)
            {
                return await HashParts(request.Body, boundary, cancellationToken);
            }

            return await SHA256.HashDataAsync(request.Body, cancellationToken);
        }
        finally
        {
            request.Body.Position = 0;
        }
    }

    private static async Task<byte[]> HashParts(Stream body, string boundary, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var reader = new MultipartReader(boundary, body);
        var buffer = new byte[81920];
        while (await reader.ReadNextSectionAsync(cancellationToken) is { } section)
        {
            var name = section.GetContentDispositionHeader()?.Name.Value ?? "";
            hash.AppendData(Encoding.UTF8.GetBytes($"{name}\n"));
            int read;
            while ((read = await section.Body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }

            hash.AppendData([0]);
        }

        return hash.GetHashAndReset();
    }

    private static void Write(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    Write(writer, property.Value);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case JsonValueKind.Number:
                // By value: 1.50, 1.5 and 15e-1 are one number. Beyond decimal's range, the text as given.
                writer.WriteRawValue(decimal.TryParse(element.GetRawText(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
                    ? (number / 1.0000000000000000000000000000m).ToString(CultureInfo.InvariantCulture)
                    : element.GetRawText());
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
