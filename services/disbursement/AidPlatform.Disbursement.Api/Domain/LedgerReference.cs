namespace AidPlatform.Disbursement.Api.Domain;

/// <summary>
/// What validating ledger rows needs, read once per request or import (see Data/LedgerReferences): plain
/// values and lookups, so the rules run without a database.
/// </summary>
public sealed record LedgerReference
{
    /// <summary>The currencies the ledger carries, each with how many decimals an amount in it may have.</summary>
    public required IReadOnlyDictionary<string, int> MinorUnits { get; init; }

    /// <summary>Any province code, current or former, to the current unit it belongs to.</summary>
    public required IReadOnlyDictionary<string, string> CurrentProvince { get; init; }

    /// <summary>One month's rate in units per USD, as published; null when that month has none.</summary>
    public required Func<string, DateOnly, decimal?> MonthlyRate { get; init; }

    /// <summary>Today in Vietnam: a value date after it is in the future.</summary>
    public required DateOnly Today { get; init; }

    /// <summary>A partner caller's NGO: its rows may name only that NGO's projects. Null for the ministry.</summary>
    public Guid? PartnerNgo { get; init; }

    /// <summary>The projects the rows name, resolved beforehand; null for one the registry does not know.</summary>
    public required Func<Guid, ProjectInfo?> Project { get; init; }

    /// <summary>An NGO's certificates, resolved beforehand with the projects; empty when the NGO holds none.</summary>
    public required Func<Guid, IReadOnlyList<CertificateInfo>> Certificates { get; init; }
}
