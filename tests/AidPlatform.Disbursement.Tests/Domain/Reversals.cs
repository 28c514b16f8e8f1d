using AidPlatform.Disbursement.Api.Domain;
using AidPlatform.ServiceDefaults.Errors;
using AidPlatform.ServiceDefaults.Validation;

namespace AidPlatform.Disbursement.Tests.Domain;

public sealed class Reversals
{
    private static readonly LedgerRow Original = new(Guid.CreateVersion7(), Given.Ngo, Given.Project.Id, "commitment", 1000m, "EUR", 1096.13m,
        0.9123m, new(2024, 3, 1), new(2024, 3, 15), "02", "08", "R-1", "first tranche");

    [Test]
    public void Negate_the_original_exactly_at_its_rate()
    {
        var reversal = Reversal.Of(new LedgerEntry(Original, Reversed: false, DateTimeOffset.UtcNow), "entered twice");

        Assert.That(reversal.Id, Is.Not.EqualTo(Original.Id));
        Assert.That(reversal, Is.EqualTo(Original with
        {
            Id = reversal.Id, Amount = -1000m, AmountUsd = -1096.13m, Reference = $"reversal:{Original.Id}", Description = "entered twice", ReversesId = Original.Id,
        }));
    }

    [Test]
    public void Refuse_to_reverse_a_reversal()
    {
        var reversal = Reversal.Of(new LedgerEntry(Original, false, DateTimeOffset.UtcNow), "entered twice");

        var refused = Assert.Throws<UnprocessableException>(() => Reversal.Of(new LedgerEntry(reversal, false, DateTimeOffset.UtcNow), "again"));

        Assert.That(refused!.Message, Is.EqualTo("A reversal cannot itself be reversed; record a new row instead."));
    }

    [Test]
    public void Refuse_a_second_reversal_as_a_conflict()
    {
        var refused = Assert.Throws<ConflictException>(() => Reversal.Of(new LedgerEntry(Original, Reversed: true, DateTimeOffset.UtcNow), "again"));

        Assert.That(refused!.Message, Is.EqualTo("This disbursement is already reversed."));
    }

    [TestCase(null)]
    [TestCase("   ")]
    public void Require_a_reason(string? reason)
    {
        var errors = new ValidationErrors();

        Assert.That(Reversal.ValidateReason(reason, errors), Is.Null);
        Assert.That(errors.Faults(), Is.EqualTo(new Dictionary<string, string[]> { ["reason"] = ["reason is required, 1000 characters or fewer."] }));
    }

    [Test]
    public void Trim_the_reason_and_refuse_one_over_a_thousand_characters()
    {
        Assert.That(Reversal.ValidateReason("  entered twice ", new ValidationErrors()), Is.EqualTo("entered twice"));
        Assert.That(Reversal.ValidateReason(new string('x', 1000), new ValidationErrors()), Has.Length.EqualTo(1000));
        Assert.That(Reversal.ValidateReason(new string('x', 1001), new ValidationErrors()), Is.Null);
    }
}
