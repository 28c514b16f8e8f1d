using AidPlatform.Reporting.Api.Domain;

namespace AidPlatform.Reporting.Tests;

public sealed class Reconciling_with_the_ledger
{
    private static readonly Amounts Reporting = new(100.00m, 40.10m, 5m, 7);

    [Test]
    public void Is_consistent_when_every_sum_and_the_count_agree()
    {
        var reconciliation = Reconciliation.Of(Reporting, new LedgerSide(new ByType(100m, 40.1m, 5.00m), 7));

        Assert.That(reconciliation.Consistent, Is.True);
        Assert.That(reconciliation.Reporting, Is.EqualTo(new LedgerSide(new ByType(100.00m, 40.10m, 5m), 7)));
    }

    [TestCase(100.01, 7)]
    [TestCase(100.00, 8)]
    public void Is_inconsistent_when_a_sum_or_the_count_differs(decimal commitment, long count)
    {
        var reconciliation = Reconciliation.Of(Reporting, new LedgerSide(new ByType(commitment, 40.10m, 5m), count));

        Assert.That(reconciliation.Consistent, Is.False);
    }
}
