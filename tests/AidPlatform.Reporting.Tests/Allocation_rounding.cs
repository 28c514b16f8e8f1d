using AidPlatform.Reporting.Api.Domain;

namespace AidPlatform.Reporting.Tests;

public sealed class Allocation_rounding
{
    private static Share<string>[] Equal(int n) => Enumerable.Range(0, n).Select(i => new Share<string>($"k{i}", 1)).ToArray();

    [Test]
    public void Splits_a_dollar_three_ways_giving_the_odd_cent_to_the_first_largest_remainder()
    {
        var parts = Allocation.Split(1.00m, Equal(3));

        Assert.That(parts.Select(p => p.Amount), Is.EqualTo(new[] { 0.34m, 0.33m, 0.33m }));
    }

    [Test]
    public void Gives_a_single_cent_to_one_share_only()
    {
        var parts = Allocation.Split(0.01m, Equal(4));

        Assert.That(parts.Select(p => p.Amount), Is.EqualTo(new[] { 0.01m, 0m, 0m, 0m }));
    }

    [Test]
    public void Follows_uneven_percentages_with_the_remainder_to_the_largest_fraction()
    {
        // 10.00 at 33.33 / 33.33 / 33.34 -> 3.333, 3.333, 3.334: floors 3.33 each, the cent left to 3.334.
        var parts = Allocation.Split<string>(10.00m, [new("a", 33.33m), new("b", 33.33m), new("c", 33.34m)]);

        Assert.That(parts.Select(p => p.Amount), Is.EqualTo(new[] { 3.33m, 3.33m, 3.34m }));
    }

    [Test]
    public void Splits_a_negative_amount_as_the_exact_negation_of_the_positive_one()
    {
        Share<string>[] shares = [new("a", 70m), new("b", 20m), new("c", 10m)];

        var positive = Allocation.Split(1234.57m, shares);
        var negative = Allocation.Split(-1234.57m, shares);

        Assert.That(negative.Select(p => p.Amount), Is.EqualTo(positive.Select(p => -p.Amount)));
    }

    [Test]
    public void Always_sums_exactly_to_the_amount()
    {
        var random = new Random(20261122);
        for (var i = 0; i < 5_000; i++)
        {
            var amount = random.Next(1, 100_000_000) / 100m;
            var shares = Enumerable.Range(0, random.Next(1, 8)).Select(k => new Share<int>(k, random.Next(1, 10_000) / 100m)).ToArray();

            var parts = Allocation.Split(amount, shares);

            Assert.That(parts.Sum(p => p.Amount), Is.EqualTo(amount), $"case {i}: {amount} over {shares.Length} shares");
            Assert.That(parts.All(p => p.Amount >= 0 && decimal.Round(p.Amount, 2) == p.Amount), Is.True);
        }
    }

    [Test]
    public void Refuses_an_amount_that_is_not_whole_cents()
    {
        Assert.Throws<ArgumentException>(() => Allocation.Split(1.005m, Equal(2)));
    }

    [Test]
    public void A_transaction_with_its_own_province_is_split_over_sectors_only()
    {
        var row = new TransactionRow(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "disbursement", 100.00m, new DateOnly(2024, 5, 1), "79", null, DateTimeOffset.UtcNow);
        var shares = new ProjectShares([("12220", "122", 50m), ("11220", "112", 50m)], [("01", 60m), ("48", 40m)]);

        var cells = Cells.For(row, shares).ToList();

        Assert.That(cells.Select(c => c.ProvinceCode).Distinct(), Is.EqualTo(new[] { "79" }));
        Assert.That(cells.Sum(c => c.AmountUsd), Is.EqualTo(100.00m));
    }

    [Test]
    public void A_transaction_without_province_is_split_over_province_and_sector_pairs_whose_margins_sum_exactly()
    {
        var row = new TransactionRow(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "disbursement", 1000.01m, new DateOnly(2024, 5, 1), null, null, DateTimeOffset.UtcNow);
        var shares = new ProjectShares([("12220", "122", 33.33m), ("11220", "112", 66.67m)], [("01", 60m), ("48", 25m), ("79", 15m)]);

        var cells = Cells.For(row, shares).ToList();

        Assert.That(cells, Has.Count.EqualTo(6));
        Assert.That(cells.Sum(c => c.AmountUsd), Is.EqualTo(1000.01m));
        Assert.That(cells.GroupBy(c => c.ProvinceCode).Sum(g => g.Sum(c => c.AmountUsd)), Is.EqualTo(1000.01m));
    }

    [Test]
    public void A_transaction_of_an_unknown_project_stays_unallocated_in_one_cell()
    {
        var row = new TransactionRow(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "commitment", 5.55m, new DateOnly(2024, 5, 1), null, null, DateTimeOffset.UtcNow);

        var cells = Cells.For(row, new ProjectShares([], [])).ToList();

        Assert.That(cells, Has.Count.EqualTo(1));
        Assert.That((cells[0].ProvinceCode, cells[0].SectorCode, cells[0].AmountUsd), Is.EqualTo((Cells.Unallocated, Cells.Unallocated, 5.55m)));
    }
}
