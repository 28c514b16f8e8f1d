using AidPlatform.Disbursement.Api.Domain;
using AidPlatform.ServiceDefaults.Validation;

namespace AidPlatform.Disbursement.Tests.Domain;

public sealed class Ledger_batches
{
    [Test]
    public void Refuse_an_empty_batch_and_one_over_ten_thousand_items()
    {
        var empty = new ValidationErrors();
        var tooMany = new ValidationErrors();

        Assert.That(LedgerBatch.ValidateSize([], empty), Is.Null);
        Assert.That(LedgerBatch.ValidateSize(Enumerable.Repeat<DisbursementRequest?>(Given.Request(), 10_001).ToList(), tooMany), Is.Null);
        Assert.That(LedgerBatch.ValidateSize(null, new ValidationErrors()), Is.Null);
        Assert.That(empty.Faults().Keys, Is.EqualTo(new[] { "body" }));
        Assert.That(tooMany.Faults()["body"][0], Does.StartWith("The body must be a JSON array of 1 to "));
        Assert.That(LedgerBatch.ValidateSize(Enumerable.Repeat<DisbursementRequest?>(Given.Request(), 10_000).ToList(), new ValidationErrors()), Has.Count.EqualTo(10_000));
    }

    [Test]
    public void Name_each_invalid_or_null_item_by_its_index_and_keep_the_valid_ones()
    {
        var errors = new ValidationErrors();
        DisbursementRequest?[] items = [Given.Request("A"), Given.Request("B") with { Amount = -1m }, null, Given.Request("C")];

        var rows = LedgerBatch.ValidateItems(items, Given.Reference(), errors);

        Assert.That(rows.Select(r => (r.Index, r.Row.Reference)), Is.EqualTo(new[] { (0, "A"), (3, "C") }));
        Assert.That(errors.Faults().Keys, Is.EqualTo(new[] { "[1].amount", "[2]" }));
        Assert.That(errors.Faults()["[2]"], Is.EqualTo(new[] { "The item is null." }));
    }

    [Test]
    public void Refuse_every_use_of_a_reference_after_the_first_for_the_same_ngo()
    {
        var errors = new ValidationErrors();
        var other = Guid.NewGuid();
        var rows = new List<(int, LedgerRow)> { (0, Row("A")), (1, Row("B")), (2, Row("A")), (3, Row("A")), (4, Row("A") with { NgoId = other }) };

        LedgerBatch.ValidateReferences(rows, new HashSet<(Guid, string)>(), errors);

        Assert.That(errors.Faults(), Is.EqualTo(new Dictionary<string, string[]>
        {
            ["[2].reference"] = ["reference A appears more than once in the batch."],
            ["[3].reference"] = ["reference A appears more than once in the batch."],
        }));
    }

    [Test]
    public void Refuse_a_reference_the_ledger_already_holds_for_the_ngo()
    {
        var errors = new ValidationErrors();
        var rows = new List<(int, LedgerRow)> { (0, Row("A")), (1, Row("B")), (2, Row("C") with { NgoId = Guid.NewGuid() }) };

        LedgerBatch.ValidateReferences(rows, new HashSet<(Guid, string)> { (Given.Ngo, "B"), (Given.Ngo, "C") }, errors);

        Assert.That(errors.Faults(), Is.EqualTo(new Dictionary<string, string[]> { ["[1].reference"] = ["reference B is already recorded for this NGO."] }));
    }

    private static LedgerRow Row(string reference) => LedgerRules.Validate(Given.Request(reference), Given.Reference(), new ValidationErrors())!;
}
