namespace AidPlatform.Reporting.Api.Domain;

/// <summary>What to add to one row of a monthly aggregate table: its dimension, key and the change.</summary>
public sealed record AggregateDelta(string Dimension, DateOnly Month, string Type, string Key, decimal AmountUsd, long TransactionCount);

/// <summary>
/// Sums cells into changes to the monthly aggregates in memory, so that a batch writes each aggregate row
/// once. The changes come out in one fixed order (dimension, then month, type and key), the order in which
/// every writer upserts, so two writers touching the same rows lock them in the same order.
/// </summary>
public static class MonthlyTotals
{
    /// <summary>The aggregate dimensions, in the order they are written.</summary>
    public static readonly IReadOnlyList<string> Dimensions = ["ngo", "project", "province", "sector", "category"];

    /// <summary>
    /// The changes that adding (<paramref name="sign"/> +1) or taking away (-1) these cells makes. A transaction
    /// counts once per key however many cells it has there (a transaction lies in one month and has one type).
    /// </summary>
    public static IEnumerable<AggregateDelta> Of(IEnumerable<Cell> cells, int sign)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var list = cells as IReadOnlyCollection<Cell> ?? cells.ToList();
        return Dimensions.SelectMany(dimension => list
            .GroupBy(c => (Month: new DateOnly(c.ValueDate.Year, c.ValueDate.Month, 1), c.Type, Key: KeyOf(dimension, c)))
            .Select(g => new AggregateDelta(dimension, g.Key.Month, g.Key.Type, g.Key.Key,
                sign * g.Sum(c => c.AmountUsd), sign * g.Select(c => c.TransactionId).Distinct().LongCount())));
    }

    /// <summary>Sums changes to the same row, drops those that cancel out, and puts them in the writing order.</summary>
    public static IReadOnlyList<AggregateDelta> Merge(IEnumerable<AggregateDelta> deltas)
    {
        ArgumentNullException.ThrowIfNull(deltas);
        return deltas
            .GroupBy(d => (d.Dimension, d.Month, d.Type, d.Key))
            .Select(g => new AggregateDelta(g.Key.Dimension, g.Key.Month, g.Key.Type, g.Key.Key, g.Sum(d => d.AmountUsd), g.Sum(d => d.TransactionCount)))
            .Where(d => d.AmountUsd != 0 || d.TransactionCount != 0)
            .OrderBy(d => IndexOf(d.Dimension)).ThenBy(d => d.Month).ThenBy(d => d.Type, StringComparer.Ordinal).ThenBy(d => d.Key, StringComparer.Ordinal)
            .ToList();
    }

    private static readonly Dictionary<string, int> Rank = Dimensions.Select((d, i) => (d, i)).ToDictionary(x => x.d, x => x.i);

    private static int IndexOf(string dimension) => Rank[dimension];

    private static string KeyOf(string dimension, Cell cell) => dimension switch
    {
        "ngo" => cell.NgoId.ToString(),
        "project" => cell.ProjectId.ToString(),
        "province" => cell.ProvinceCode,
        "sector" => cell.SectorCode,
        "category" => cell.CategoryCode,
        _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "Unknown aggregate dimension."),
    };
}
