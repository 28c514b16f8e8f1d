namespace AidPlatform.Reporting.Api.Domain;

/// <summary>A project's result as the reports keep it: its full state, the newest <c>Version</c> wins.</summary>
public sealed record ResultRow(Guid Id, int Version, Guid ProjectId, Guid NgoId, string Type, string Title, string? Description,
    IReadOnlyList<IndicatorRow> Indicators);

/// <summary>One indicator of a result, with its references (vocabulary, code), baseline and periods.</summary>
public sealed record IndicatorRow(string Title, string? Description, string Measure, bool Ascending,
    IReadOnlyList<(string Vocabulary, string Code)> References,
    int BaselineYear, decimal? BaselineValue, string? BaselineComment,
    IReadOnlyList<PeriodRow> Periods);

/// <summary>One reporting period of an indicator; <c>ProvinceCode</c> as the partner gave it.</summary>
public sealed record PeriodRow(DateOnly Start, DateOnly End, decimal? TargetValue, string? TargetComment,
    decimal? ActualValue, string? ActualComment, string? ProvinceCode);
