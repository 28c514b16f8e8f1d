using System.Collections.Frozen;

namespace AidPlatform.Reference;

/// <summary>An OECD DAC CRS sector: a 3-digit category or a 5-digit purpose code.</summary>
public sealed record Sector(string Code, string Name, string CategoryCode, string CategoryName, bool Withdrawn)
{
    public bool IsCategory => Code.Length == 3;
}

/// <summary>DAC sectors, active and withdrawn (kept for older data).</summary>
public sealed class Sectors
{
    internal Sectors(IReadOnlyList<Sector> all)
    {
        All = all;
        CategoryOf = all.Where(s => !s.Withdrawn).ToFrozenDictionary(s => s.Code, s => s.CategoryCode, StringComparer.Ordinal);
        Categories = all.Where(s => !s.Withdrawn && s.IsCategory).Select(s => s.Code).ToFrozenSet(StringComparer.Ordinal);
    }

    /// <summary>Every code, active first, then withdrawn.</summary>
    public IReadOnlyList<Sector> All { get; }

    /// <summary>Active codes (purposes and categories) to their category.</summary>
    public FrozenDictionary<string, string> CategoryOf { get; }

    /// <summary>Active 3-digit categories.</summary>
    public FrozenSet<string> Categories { get; }
}
