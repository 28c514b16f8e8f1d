using System.Collections.Frozen;

namespace AidPlatform.Reference;

/// <summary>The currencies the platform carries, with how many decimals an amount in each may have.</summary>
public sealed class Currencies
{
    /// <summary>ISO 4217 currencies without minor units among those we carry.</summary>
    private static readonly FrozenSet<string> ZeroDecimal = new[] { "VND", "JPY", "KRW" }.ToFrozenSet(StringComparer.Ordinal);

    internal Currencies(IEnumerable<string> codes) =>
        MinorUnits = codes.ToFrozenDictionary(c => c, c => ZeroDecimal.Contains(c) ? 0 : 2, StringComparer.Ordinal);

    /// <summary>Currency code to its number of decimals.</summary>
    public FrozenDictionary<string, int> MinorUnits { get; }

    /// <summary>True when <paramref name="code"/> looks like an ISO 4217 code: three upper-case letters.</summary>
    public static bool IsCodeFormat(string? code) => code is { Length: 3 } && code.All(char.IsAsciiLetterUpper);
}
