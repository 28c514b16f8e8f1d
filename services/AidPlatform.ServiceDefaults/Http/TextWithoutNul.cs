using System.Text.Json;
using System.Text.Json.Serialization;

namespace AidPlatform.ServiceDefaults.Http;

/// <summary>
/// Reads JSON strings, refusing a NUL character: PostgreSQL cannot store one in text, so it would
/// otherwise surface as a 500 at the insert. The refusal is a binding failure, hence a 400 naming the field.
/// </summary>
internal sealed class TextWithoutNul : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        return text is not null && text.Contains('\0', StringComparison.Ordinal)
            ? throw new JsonException("Text must not contain a NUL (\\u0000) character.")
            : text;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value);
    }
}
