using System.ComponentModel.DataAnnotations;

namespace AidPlatform.Disbursement.Api.Domain;

/// <summary>The kinds of ledger row.</summary>
public static class LedgerTypes
{
    /// <summary>What a row without a type is.</summary>
    public const string Default = "disbursement";

    public static readonly IReadOnlyList<string> All = ["commitment", "disbursement", "expenditure"];
}

/// <summary><c>[AllowedValues]</c> over <see cref="LedgerTypes.All"/>: a request, a response and a query filter name the same list.</summary>
public sealed class LedgerTypeAttribute() : AllowedValuesAttribute([.. LedgerTypes.All]);
