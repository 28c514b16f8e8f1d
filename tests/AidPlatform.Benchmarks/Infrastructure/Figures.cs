using System.Globalization;
using System.Text.Json;

namespace AidPlatform.Benchmarks.Infrastructure;

/// <summary>
/// One measured figure beside its same-run baseline. <see cref="Ratio"/> is oriented so that higher means
/// closer to the baseline: service / baseline for throughput, baseline / service for latency.
/// </summary>
internal sealed record Figure(string Name, double Value, string Unit, double Baseline, double Ratio, string? Target = null, bool? Met = null)
{
    public string Line() => string.Create(CultureInfo.InvariantCulture, $"{Name} {Value:0.###} {Unit} {Baseline:0.###} {Ratio:0.###}");
}

/// <summary>Prints figures as they come, one line each, and writes them all as JSON at the end.</summary>
internal sealed class Figures
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
    private readonly List<Figure> figures = [];

    public IReadOnlyList<Figure> All => figures;

    public void Add(Figure figure)
    {
        figures.Add(figure);
        Console.WriteLine(figure.Line());
    }

    /// <summary>Throughput: higher is better, ratio = value / baseline.</summary>
    public void Throughput(string name, double value, string unit, double baseline, double? atLeast = null) =>
        Add(new Figure(name, value, unit, baseline, Divide(value, baseline),
            atLeast is { } t ? $"ratio >= {t}" : null, atLeast is { } m ? Divide(value, baseline) >= m : null));

    /// <summary>Latency: lower is better, ratio = baseline / value ("times faster than the baseline" when the baseline is the slow path).</summary>
    public void Latency(string name, double value, string unit, double baseline, double? atMost = null, double? ratioAtLeast = null)
    {
        var ratio = Divide(baseline, value);
        var targets = new List<string>();
        bool? met = null;
        if (atMost is { } max)
        {
            targets.Add($"value <= {max}");
            met = value <= max;
        }

        if (ratioAtLeast is { } r)
        {
            targets.Add($"ratio >= {r}");
            met = (met ?? true) && ratio >= r;
        }

        Add(new Figure(name, value, unit, baseline, ratio, targets.Count > 0 ? string.Join(" and ", targets) : null, met));
    }

    public void Write(string path, IReadOnlyDictionary<string, string> run)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var document = new { run, figures };
        File.WriteAllText(path, JsonSerializer.Serialize(document, Json));
    }

    public static double Divide(double a, double b) => b == 0 ? 0 : a / b;
}
