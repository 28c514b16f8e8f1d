namespace AidPlatform.Contracts.Registry;

/// <summary>A result's indicator, as IATI 2.03 models it: what is measured, from which baseline, and its periods.</summary>
public sealed record ResultIndicator
{
    public required string Title { get; init; }
    public string? Description { get; init; }
    /// <summary>unit, percentage, nominal, ordinal or qualitative (IATI IndicatorMeasure 1-5).</summary>
    public required string Measure { get; init; }
    public required bool Ascending { get; init; }
    public required IReadOnlyList<IndicatorReference> References { get; init; }
    public required IndicatorBaseline Baseline { get; init; }
    public required IReadOnlyList<IndicatorPeriod> Periods { get; init; }
}

/// <summary>An indicator's code in a vocabulary (IATI IndicatorVocabulary: "9" SDG indicators such as "3.1.1", "99" the NGO's own).</summary>
public sealed record IndicatorReference
{
    public required string Vocabulary { get; init; }
    public required string Code { get; init; }
}

/// <summary>Where the indicator stood in <c>Year</c>; a value for quantitative measures, a comment for qualitative ones.</summary>
public sealed record IndicatorBaseline
{
    public required int Year { get; init; }
    public decimal? Value { get; init; }
    public string? Comment { get; init; }
}

/// <summary>A reporting period of an indicator, within the project's dates, optionally in one of its provinces.</summary>
public sealed record IndicatorPeriod
{
    public required DateOnly Start { get; init; }
    public required DateOnly End { get; init; }
    public required IndicatorValue Target { get; init; }
    public IndicatorValue? Actual { get; init; }
    public string? ProvinceCode { get; init; }
}

/// <summary>A target or an actual: a value for quantitative measures, a comment for qualitative ones.</summary>
public sealed record IndicatorValue
{
    public decimal? Value { get; init; }
    public string? Comment { get; init; }
}
