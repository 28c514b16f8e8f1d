using System.Collections.Frozen;
using AidPlatform.ServiceDefaults.Data;

namespace AidPlatform.Registry.Api.Domain;

/// <summary>
/// The reference data requests are validated against, read once from the same embedded CSVs the seeder
/// writes to the database (it never changes while the service runs).
/// </summary>
public sealed class ReferenceData
{
    /// <summary>ISO 3166-1 alpha-2 codes in current use.</summary>
    private const string CountryCodes =
        "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
        "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
        "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP " +
        "KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ " +
        "NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW " +
        "SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ " +
        "UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";

    /// <summary>Currencies without minor units among those the ledger carries.</summary>
    private static readonly FrozenSet<string> ZeroDecimal = new[] { "VND", "JPY", "KRW" }.ToFrozenSet();

    public ReferenceData()
    {
        var assembly = typeof(ReferenceData).Assembly;
        var provinces = EmbeddedCsv.Read<ProvinceRow>(assembly, "provinces.csv");
        var former = EmbeddedCsv.Read<FormerRow>(assembly, "former_provinces.csv");
        var sectors = EmbeddedCsv.Read<SectorRow>(assembly, "dac_sectors.csv");
        var currencies = EmbeddedCsv.Read<CurrencyRow>(assembly, "currencies.csv");

        // A current code is always the former code of one of its parts that merged into it, so one map serves both.
        CurrentProvince = former.Select(f => KeyValuePair.Create(f.FormerCode, f.CurrentCode))
            .Concat(provinces.Select(p => KeyValuePair.Create(p.Code, p.Code)))
            .DistinctBy(p => p.Key)
            .ToFrozenDictionary();
        SectorCategory = sectors.ToFrozenDictionary(s => s.Code, s => s.CategoryCode);
        Categories = sectors.Where(s => s.Code.Length == 3).Select(s => s.Code).ToFrozenSet();
        MinorUnits = currencies.ToFrozenDictionary(c => c.Code, c => ZeroDecimal.Contains(c.Code) ? 0 : 2);
        Countries = CountryCodes.Split(' ').ToFrozenSet();
    }

    /// <summary>Any province code, current or former, to the current unit it belongs to.</summary>
    public FrozenDictionary<string, string> CurrentProvince { get; }

    /// <summary>Active DAC codes (5-digit purposes and 3-digit categories) to their category.</summary>
    public FrozenDictionary<string, string> SectorCategory { get; }

    public FrozenSet<string> Categories { get; }

    /// <summary>Currencies a budget may be in, with how many decimals an amount may have.</summary>
    public FrozenDictionary<string, int> MinorUnits { get; }

    public FrozenSet<string> Countries { get; }

    private sealed record ProvinceRow(string Code, string Name, string NameAscii, string Kind);

    private sealed record FormerRow(string FormerCode, string FormerName, string FormerNameAscii, string CurrentCode);

    private sealed record SectorRow(string Code, string Name, string CategoryCode, string CategoryName);

    private sealed record CurrencyRow(string Code);
}
