namespace AidPlatform.Reporting.Api.Domain;

/// <summary>Amounts by transaction type, in USD.</summary>
public sealed record Amounts(decimal CommittedUsd, decimal DisbursedUsd, decimal ExpenditureUsd, long TransactionCount);

/// <summary>The whole under a filter: amounts by type, and how many NGOs, projects and transactions they come from.</summary>
public sealed record Summary(decimal CommittedUsd, decimal DisbursedUsd, decimal ExpenditureUsd, long NgoCount, long ProjectCount, long TransactionCount);

/// <summary>One key of a breakdown (a province, a sector, a month...) with its label and amounts.</summary>
public sealed record BreakdownRow(string Key, string Label, decimal CommittedUsd, decimal DisbursedUsd, decimal ExpenditureUsd, long TransactionCount);

/// <summary>
/// The amounts by one dimension, and the whole under the filters. Where <c>Additive</c>, the rows sum exactly to the
/// total; by policy marker they overlap (a project counts under each of its markers) and may sum to more or less.
/// </summary>
public sealed record Breakdown([property: Dimension] string By, bool Additive, IReadOnlyList<BreakdownRow> Rows, Amounts Total)
{
    public Breakdown(string by, IReadOnlyList<BreakdownRow> rows, Amounts total)
        : this(by, Dimensions.IsAdditive(by), rows, total)
    {
    }
}
