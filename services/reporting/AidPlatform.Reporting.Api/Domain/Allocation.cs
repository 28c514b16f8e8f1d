namespace AidPlatform.Reporting.Api.Domain;

/// <summary>One share of a split: a key and its weight (a percentage, or a product of two).</summary>
public readonly record struct Share<TKey>(TKey Key, decimal Weight);

/// <summary>
/// Splits an amount in cents over weighted shares with the largest-remainder method: every share gets
/// the floor of its exact part, and the cents left go one each to the largest remainders (ties to the
/// earlier share), so the parts always sum exactly to the amount. A negative amount splits as the
/// negation of its absolute value, so a reversal's parts exactly cancel the original's.
/// </summary>
public static class Allocation
{
    public static IReadOnlyList<(TKey Key, decimal Amount)> Split<TKey>(decimal amount, IReadOnlyList<Share<TKey>> shares)
    {
        ArgumentNullException.ThrowIfNull(shares);
        if (shares.Count == 0)
        {
            throw new ArgumentException("At least one share is needed.", nameof(shares));
        }

        var totalWeight = shares.Sum(s => s.Weight);
        if (totalWeight <= 0 || shares.Any(s => s.Weight < 0))
        {
            throw new ArgumentException("Weights must be non-negative and not all zero.", nameof(shares));
        }

        if (decimal.Round(amount, 2) != amount)
        {
            throw new ArgumentException("The amount must be in whole cents.", nameof(amount));
        }

        var sign = Math.Sign(amount);
        var cents = Math.Abs(amount) * 100m;
        var floors = new decimal[shares.Count];
        var remainders = new decimal[shares.Count];
        var allocated = 0m;
        for (var i = 0; i < shares.Count; i++)
        {
            var exact = cents * shares[i].Weight / totalWeight;
            floors[i] = decimal.Floor(exact);
            remainders[i] = exact - floors[i];
            allocated += floors[i];
        }

        var left = (int)(cents - allocated);
        foreach (var i in Enumerable.Range(0, shares.Count).OrderByDescending(i => remainders[i]).ThenBy(i => i).Take(left))
        {
            floors[i] += 1;
        }

        return shares.Select((s, i) => (s.Key, sign * floors[i] / 100m)).ToList();
    }
}
