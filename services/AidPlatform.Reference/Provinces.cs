using System.Collections.Frozen;

namespace AidPlatform.Reference;

/// <summary>A provincial-level unit in force since 2025-07-01.</summary>
public sealed record Province(string Code, string Name, string NameAscii, string Kind);

/// <summary>A unit before 2025-07-01, and the current unit it merged into.</summary>
public sealed record FormerProvince(string Code, string Name, string NameAscii, string CurrentCode);

/// <summary>The 34 current units, the 63 former ones, and the crosswalk from any code to its current unit.</summary>
public sealed class Provinces
{
    internal Provinces(IReadOnlyList<Province> current, IReadOnlyList<FormerProvince> former)
    {
        Current = current;
        Former = former;
        // A current code is always the former code of one of the parts merged into it, so one map serves
        // both: a former code that is also a current one merged into the unit of that code.
        CurrentOf = former.Select(f => KeyValuePair.Create(f.Code, f.CurrentCode))
            .Concat(current.Select(p => KeyValuePair.Create(p.Code, p.Code)))
            .DistinctBy(p => p.Key)
            .ToFrozenDictionary(StringComparer.Ordinal);
    }

    public IReadOnlyList<Province> Current { get; }

    public IReadOnlyList<FormerProvince> Former { get; }

    /// <summary>Any province code, current or former, to the current unit it belongs to.</summary>
    public FrozenDictionary<string, string> CurrentOf { get; }
}
