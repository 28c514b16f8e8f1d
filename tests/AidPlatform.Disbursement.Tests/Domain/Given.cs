using AidPlatform.Disbursement.Api.Domain;
using AidPlatform.Reference;
using AidPlatform.ServiceDefaults.Validation;

namespace AidPlatform.Disbursement.Tests.Domain;

/// <summary>
/// What the unit specs validate against: a few published rates, a fixed today, two known projects (approved, from
/// 2019 with no end, in provinces 01, 08 and 79) and their NGO's certificate covering those provinces 2019–2030.
/// </summary>
internal static class Given
{
    public static readonly DateOnly Today = new(2025, 6, 15);

    public static readonly Guid Ngo = new("0197a000-0000-7000-8000-000000000001");

    public static readonly ProjectInfo Project = new(new Guid("0197a000-0000-7000-8000-0000000000aa"), Ngo, "implementation", new(2019, 1, 1), null, 3,
        "approved", ["01", "08", "79"]);

    public static readonly ProjectInfo Cancelled = new(new Guid("0197a000-0000-7000-8000-0000000000cc"), Ngo, "cancelled", new(2019, 1, 1), null, 5,
        "approved", ["01", "08", "79"]);

    public static readonly CertificateInfo Certificate = new(new Guid("0197a000-0000-7000-8000-0000000000ce"), Ngo, 1, new(2019, 1, 1), new(2030, 12, 31),
        "valid", ["01", "08", "79"], []);

    /// <summary>EUR has March and February 2024; VND only January 2025; JPY nothing after 2023-12.</summary>
    public static readonly Dictionary<(string Currency, DateOnly Month), decimal> Rates = new()
    {
        [("EUR", new(2024, 3, 1))] = 0.912300m,
        [("EUR", new(2024, 2, 1))] = 0.925000m,
        [("VND", new(2025, 1, 1))] = 1000m,
        [("JPY", new(2023, 12, 1))] = 141.5m,
    };

    /// <summary>The reference; <paramref name="project"/> replaces <see cref="Project"/> (same id), <paramref name="certificates"/> the NGO's.</summary>
    public static LedgerReference Reference(Guid? partnerNgo = null, ProjectInfo? project = null, IReadOnlyList<CertificateInfo>? certificates = null) => new()
    {
        MinorUnits = ReferenceData.Instance.Currencies.MinorUnits,
        CurrentProvince = ReferenceData.Instance.Provinces.CurrentOf,
        MonthlyRate = (currency, month) => Rates.TryGetValue((currency, month), out var rate) ? rate : null,
        Today = Today,
        PartnerNgo = partnerNgo,
        Project = id => new[] { project ?? Project, Cancelled }.FirstOrDefault(p => p.Id == id),
        Certificates = ngo => ngo == Ngo ? certificates ?? [Certificate] : [],
    };

    /// <summary>A valid request: 1,000.00 EUR on 2024-03-15 for <see cref="Project"/>.</summary>
    public static DisbursementRequest Request(string reference = "R-1") =>
        new(Project.Id, null, 1000.00m, "EUR", new DateOnly(2024, 3, 15), null, reference, null);

    /// <summary>The faults as the API answers them, field to messages.</summary>
    public static Dictionary<string, string[]> Faults(this ValidationErrors errors) => errors.ToDictionary();
}
