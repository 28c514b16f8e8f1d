namespace AidPlatform.Reporting.Api.Domain;

/// <summary>USD sums by transaction type, as the ledger's totals name them.</summary>
public sealed record ByType(decimal Commitment, decimal Disbursement, decimal Expenditure);

/// <summary>One side's totals: the sums by type and how many ledger rows they come from.</summary>
public sealed record LedgerSide(ByType ByType, long Count);

/// <summary>The projected totals beside the ledger's.</summary>
public sealed record Reconciliation(bool Consistent, LedgerSide Reporting, LedgerSide Ledger)
{
    /// <summary>Consistent only when every sum and the count agree exactly.</summary>
    public static Reconciliation Of(Amounts reporting, LedgerSide ledger)
    {
        ArgumentNullException.ThrowIfNull(reporting);
        var own = new LedgerSide(new ByType(reporting.CommittedUsd, reporting.DisbursedUsd, reporting.ExpenditureUsd), reporting.TransactionCount);
        return new Reconciliation(own == ledger, own, ledger);
    }
}
