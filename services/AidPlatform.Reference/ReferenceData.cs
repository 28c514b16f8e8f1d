namespace AidPlatform.Reference;

/// <summary>An IATI ActivityStatus code.</summary>
public sealed record ActivityStatus(int Code, string Name, string Description);

/// <summary>
/// The reference data every service validates against and seeds its own tables from, read once from the
/// CSVs and IATI XML codelists embedded here (see Data/SOURCES.md, Iati/SOURCES.md); it never changes while a service runs.
/// </summary>
public sealed class ReferenceData
{
    private static readonly Lazy<ReferenceData> Loaded = new(() => new ReferenceData());

    private ReferenceData()
    {
        var assembly = typeof(ReferenceData).Assembly;
        Provinces = new Provinces(
            EmbeddedCsv.Read<ProvinceRow>(assembly, "provinces.csv").Select(p => new Province(p.Code, p.Name, p.NameAscii, p.Kind)).ToList(),
            EmbeddedCsv.Read<FormerRow>(assembly, "former_provinces.csv").Select(f => new FormerProvince(f.FormerCode, f.FormerName, f.FormerNameAscii, f.CurrentCode)).ToList());
        Sectors = new Sectors(
            EmbeddedCsv.Read<SectorRow>(assembly, "dac_sectors.csv").Select(s => new Sector(s.Code, s.Name, s.CategoryCode, s.CategoryName, Withdrawn: false))
                .Concat(EmbeddedCsv.Read<SectorRow>(assembly, "dac_sectors_withdrawn.csv").Select(s => new Sector(s.Code, s.Name, s.CategoryCode, s.CategoryName, Withdrawn: true)))
                .ToList());
        Currencies = new Currencies(EmbeddedCsv.Read<CurrencyRow>(assembly, "currencies.csv").Select(c => c.Code));
        ActivityStatuses = EmbeddedCsv.Read<ActivityStatus>(assembly, "iati_activity_status.csv");
        Iati = new IatiCodelists(assembly);
    }

    /// <summary>The one instance: the files are read on first use.</summary>
    public static ReferenceData Instance => Loaded.Value;

    public Provinces Provinces { get; }

    public Sectors Sectors { get; }

    public Currencies Currencies { get; }

    public IReadOnlyList<ActivityStatus> ActivityStatuses { get; }

    /// <summary>IATI codelists for policy markers, results and indicators (Iati/*.xml).</summary>
    public IatiCodelists Iati { get; }

    private sealed record ProvinceRow(string Code, string Name, string NameAscii, string Kind);

    private sealed record FormerRow(string FormerCode, string FormerName, string FormerNameAscii, string CurrentCode);

    private sealed record SectorRow(string Code, string Name, string CategoryCode, string CategoryName);

    private sealed record CurrencyRow(string Code);
}
