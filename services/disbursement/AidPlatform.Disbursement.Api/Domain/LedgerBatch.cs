using AidPlatform.ServiceDefaults.Validation;

namespace AidPlatform.Disbursement.Api.Domain;

/// <summary>
/// A batch's rules: 1 to <see cref="MaxItems"/> items, each a valid row, no reference twice for an NGO, none
/// the ledger already holds. All or nothing: faults are keyed <c>[index].field</c> so one answer lists them all.
/// </summary>
public static class LedgerBatch
{
    public const int MaxItems = 10_000;

    /// <summary>The items, or null with a <c>body</c> fault when there are none or too many.</summary>
    public static IReadOnlyList<DisbursementRequest?>? ValidateSize(IReadOnlyList<DisbursementRequest?>? items, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        return errors.Require(items is { Count: > 0 and <= MaxItems }, "body", $"The body must be a JSON array of 1 to {MaxItems:N0} items.") ? items : null;
    }

    /// <summary>
    /// Each item against <see cref="LedgerRules"/>: the valid rows with their index; malformed and invalid items alike are
    /// listed. Projects the registry checks refused on the copy are added to <paramref name="doubted"/>, when given.
    /// </summary>
    public static List<(int Index, LedgerRow Row)> ValidateItems(IReadOnlyList<DisbursementRequest?> items, LedgerReference reference, ValidationErrors errors,
        ISet<Guid>? doubted = null)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(errors);
        var rows = new List<(int Index, LedgerRow Row)>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not { } item)
            {
                errors.Add($"[{i}]", "The item is null.");
            }
            else if (LedgerRules.Validate(item, reference, errors, $"[{i}].", doubted) is { } row)
            {
                rows.Add((i, row));
            }
        }

        return rows;
    }

    /// <summary>
    /// References are unique per NGO: a second use within the batch, and a reference in
    /// <paramref name="held"/> (those the ledger already holds), are faults of the item.
    /// </summary>
    public static void ValidateReferences(IReadOnlyList<(int Index, LedgerRow Row)> rows, IReadOnlySet<(Guid NgoId, string Reference)> held, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(held);
        ArgumentNullException.ThrowIfNull(errors);
        foreach (var (index, row) in rows.GroupBy(x => (x.Row.NgoId, x.Row.Reference)).Where(g => g.Count() > 1).SelectMany(g => g.Skip(1)))
        {
            errors.Add($"[{index}].reference", $"reference {row.Reference} appears more than once in the batch.");
        }

        foreach (var (index, row) in rows.Where(r => held.Contains((r.Row.NgoId, r.Row.Reference))))
        {
            errors.Add($"[{index}].reference", $"reference {row.Reference} is already recorded for this NGO.");
        }
    }
}
