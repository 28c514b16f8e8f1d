namespace AidPlatform.Reporting.Api.Domain;

/// <summary>One transaction's part in one province and one sector.</summary>
public sealed record Cell(Guid TransactionId, Guid ProjectId, Guid NgoId, string Type, DateOnly ValueDate,
    string ProvinceCode, string SectorCode, string CategoryCode, decimal AmountUsd);

/// <summary>How a transaction is split into cells.</summary>
public static class Cells
{
    /// <summary>Marks a dimension not known yet: the project has not arrived.</summary>
    public const string Unallocated = "";

    /// <summary>
    /// A transaction with its own province stays there; otherwise it is split over the project's
    /// locations. Either way it is split over the project's sectors. The split is over province x sector
    /// pairs weighted by the product of their percentages, rounded once by largest remainder, so that the
    /// province margin, the sector margin and the whole all sum exactly to the transaction. Zero cells are
    /// left out.
    /// </summary>
    public static IEnumerable<Cell> For(TransactionRow row, ProjectShares shares)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(shares);
        IReadOnlyList<(string ProvinceCode, decimal Percentage)> provinces = row.ProvinceCode is { } own
            ? [(own, 100m)]
            : shares.Locations.Count > 0 ? shares.Locations : [(Unallocated, 100m)];
        IReadOnlyList<(string SectorCode, string CategoryCode, decimal Percentage)> sectors = shares.Sectors.Count > 0
            ? shares.Sectors
            : [(Unallocated, Unallocated, 100m)];

        var pairs = provinces
            .SelectMany(p => sectors.Select(s => new Share<(string Province, string Sector, string Category)>((p.ProvinceCode, s.SectorCode, s.CategoryCode), p.Percentage * s.Percentage)))
            .ToList();
        return Allocation.Split(row.AmountUsd, pairs)
            .Where(part => part.Amount != 0)
            .Select(part => new Cell(row.Id, row.ProjectId, row.NgoId, row.Type, row.ValueDate,
                part.Key.Province, part.Key.Sector, part.Key.Category, part.Amount));
    }
}
