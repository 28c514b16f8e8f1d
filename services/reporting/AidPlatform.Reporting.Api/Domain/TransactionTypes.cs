using System.ComponentModel.DataAnnotations;

namespace AidPlatform.Reporting.Api.Domain;

/// <summary>The ledger's transaction types, as the reports filter by them.</summary>
public static class TransactionTypes
{
    public static readonly IReadOnlyList<string> All = ["commitment", "disbursement", "expenditure"];
}

/// <summary><c>[AllowedValues]</c> of <see cref="TransactionTypes.All"/>: the strict query string and the OpenAPI filters read it as such.</summary>
public sealed class TransactionTypeAttribute() : AllowedValuesAttribute([.. TransactionTypes.All]);
