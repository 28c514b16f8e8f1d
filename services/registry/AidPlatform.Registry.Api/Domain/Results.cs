using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace AidPlatform.Registry.Api.Domain;

/// <summary>A target, an actual or a baseline's measure: a value for quantitative measures, a comment for qualitative ones.</summary>
public sealed record IndicatorValueDto(decimal? Value, [property: StringLength(2000)] string? Comment);

/// <summary>An indicator's code in an IATI IndicatorVocabulary ("9" SDG indicators such as "3.1.1", "99" the NGO's own).</summary>
public sealed record IndicatorReferenceDto([property: Required, StringLength(10, MinimumLength = 1)] string Vocabulary, [property: Required, StringLength(100, MinimumLength = 1)] string Code);

/// <summary>Where an indicator stood in a year.</summary>
public sealed record BaselineRequest([property: Required, Range(1900, 2199)] int? Year, decimal? Value, [property: StringLength(2000)] string? Comment);

public sealed record BaselineDto(int Year, decimal? Value, string? Comment);

/// <summary>A reporting period within the project's dates; provinceCode, if given, is one of the project's locations.</summary>
public sealed record PeriodRequest([property: Required] DateOnly? Start, [property: Required] DateOnly? End, [property: Required] IndicatorValueDto? Target,
    IndicatorValueDto? Actual, [property: StringLength(3)] string? ProvinceCode);

public sealed record PeriodDto(DateOnly Start, DateOnly End, IndicatorValueDto Target, IndicatorValueDto? Actual, string? ProvinceCode);

/// <summary>An indicator as a client sends it; ascending defaults to true.</summary>
public sealed record IndicatorRequest([property: Required, StringLength(500, MinimumLength = 1)] string? Title, [property: StringLength(4000)] string? Description,
    [property: Required, IndicatorMeasure] string? Measure, [property: DefaultValue(true)] bool? Ascending, [property: Required, MaxLength(20)] List<IndicatorReferenceRequest>? References,
    [property: Required] BaselineRequest? Baseline, [property: Required, MaxLength(100)] List<PeriodRequest>? Periods);

public sealed record IndicatorReferenceRequest([property: Required, StringLength(10, MinimumLength = 1)] string? Vocabulary, [property: Required, StringLength(100, MinimumLength = 1)] string? Code);

public sealed record IndicatorDto(string Title, string? Description, [property: IndicatorMeasure] string Measure, bool Ascending,
    IReadOnlyList<IndicatorReferenceDto> References, BaselineDto Baseline, IReadOnlyList<PeriodDto> Periods);

/// <summary>A project's result as a client sends it (POST and the full state in a PUT).</summary>
public sealed record ResultRequest([property: Required, ResultType] string? Type, [property: Required, StringLength(500, MinimumLength = 1)] string? Title,
    [property: StringLength(4000)] string? Description, [property: Required, MinLength(1), MaxLength(50)] List<IndicatorRequest>? Indicators);

public sealed record ResultDto(Guid Id, Guid ProjectId, Guid NgoId, [property: ResultType] string Type, string Title, string? Description,
    IReadOnlyList<IndicatorDto> Indicators, int Version, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>A result whose form and codelists are right, ready to be checked against its project and written.</summary>
public sealed record ResultFields(string Type, string Title, string? Description, IReadOnlyList<IndicatorDto> Indicators);

/// <summary>What a result is checked against: its project's NGO, dates and provinces (codes as given and as current units).</summary>
public sealed record ResultProject(Guid NgoId, DateOnly StartDate, DateOnly? EndDate, IReadOnlySet<string> ProvinceCodes);

/// <summary>IATI ResultType as the API spells it.</summary>
public sealed class ResultTypeAttribute() : AllowedValuesAttribute([.. ResultRules.Types]);

/// <summary>IATI IndicatorMeasure as the API spells it.</summary>
public sealed class IndicatorMeasureAttribute() : AllowedValuesAttribute([.. ResultRules.Measures]);
