using System.Globalization;
using System.Reflection;
using CsvHelper;
using CsvHelper.Configuration;

namespace AidPlatform.Reference;

/// <summary>Reads reference data shipped as RFC 4180 CSV embedded in an assembly (this library, or a service for data of its own).</summary>
public static class EmbeddedCsv
{
    /// <summary>
    /// Reads every row of the embedded resource whose name ends with <paramref name="fileName"/>, mapping
    /// snake_case headers to <typeparamref name="T"/>'s properties.
    /// </summary>
    public static IReadOnlyList<T> Read<T>(Assembly assembly, string fileName)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var resource = assembly.GetManifestResourceNames().SingleOrDefault(n => n.EndsWith("." + fileName, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"{assembly.GetName().Name} embeds no {fileName}.");
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        var configuration = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            PrepareHeaderForMatch = args => args.Header.Replace("_", "", StringComparison.Ordinal).ToLowerInvariant(),
        };
        using var csv = new CsvReader(reader, configuration);
        return csv.GetRecords<T>().ToList();
    }
}
