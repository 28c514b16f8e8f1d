using AidPlatform.Disbursement.Api.Domain;
using AidPlatform.ServiceDefaults.Validation;

namespace AidPlatform.Disbursement.Tests.Domain;

/// <summary>
/// API.md "Ledger checks against the registry" and the ledger bullet of "Approval of aid projects": the value date
/// within the project's period (expenditures up to 6 months after its end), the province among the project's, the
/// approval state per type, and a certificate valid on the value date covering the province.
/// </summary>
public sealed class Ledger_registry_checks
{
    private static readonly ProjectInfo Ended = Given.Project with { StartDate = new(2022, 1, 1), EndDate = new(2024, 6, 30) };

    private static readonly string[] AllStates =
        ["draft", "submitted", "withdrawn", "under-appraisal", "appraised", "approved", "refused", "in-implementation", "amendment-pending", "completed", "revoked", "suspended"];

    public static IEnumerable<TestCaseData> TypeByState() =>
        from type in LedgerTypes.All
        from state in AllStates
        let admitted = state is "approved" or "in-implementation" or "amendment-pending" || (type == "expenditure" && state == "completed")
        select new TestCaseData(type, state, admitted).SetName($"A {type} in a project {state} is {(admitted ? "accepted" : "refused")}");

    [TestCaseSource(nameof(TypeByState))]
    public void The_approval_state_admits_each_type(string type, string state, bool admitted)
    {
        var errors = new ValidationErrors();
        var doubted = new HashSet<Guid>();

        var row = LedgerRules.Validate(Given.Request() with { Type = type }, Given.Reference(project: Ended with { ApprovalState = state }), errors, "", doubted);

        Assert.That(row is not null, Is.EqualTo(admitted), string.Join("; ", errors.Entries.Select(e => e.Message)));
        if (!admitted)
        {
            Assert.That(errors.Faults()["projectId"][0], Does.StartWith($"Project {Given.Project.Id} is {state}: {type}s need approved"));
            Assert.That(doubted, Is.EquivalentTo(new[] { Given.Project.Id }), "a refusal on the copy is worth asking the registry about");
        }
        else
        {
            Assert.That(doubted, Is.Empty);
        }
    }

    [Test]
    public void A_refused_state_names_the_states_a_type_needs() =>
        Refuses(Given.Request() with { Type = "commitment" }, Given.Project with { ApprovalState = "suspended" },
            "projectId", $"Project {Given.Project.Id} is suspended: commitments need approved, in-implementation, amendment-pending.");

    [TestCase("2021-12-31", "commitment", false)]
    [TestCase("2022-01-01", "commitment", true)]
    [TestCase("2024-06-30", "commitment", true)]
    [TestCase("2024-07-01", "commitment", false)]
    [TestCase("2024-07-01", "disbursement", false)]
    [TestCase("2024-07-01", "expenditure", true)]
    [TestCase("2024-12-30", "expenditure", true)]
    [TestCase("2024-12-31", "expenditure", false)]
    public void The_value_date_lies_within_the_period_expenditures_up_to_6_months_after_its_end(string valueDate, string type, bool accepted)
    {
        var errors = new ValidationErrors();

        var row = LedgerRules.Validate(Given.Request() with { Type = type, Currency = "USD", ValueDate = DateOnly.Parse(valueDate) }, Given.Reference(project: Ended), errors);

        Assert.That(row is not null, Is.EqualTo(accepted), string.Join("; ", errors.Entries.Select(e => e.Message)));
        Assert.That(errors.Faults().Keys, accepted ? Is.Empty : Is.EquivalentTo(new[] { "valueDate" }));
    }

    [Test]
    public void A_date_after_the_end_names_the_end_and_the_tail()
    {
        Refuses(Given.Request() with { Type = "expenditure", Currency = "USD", ValueDate = new(2025, 1, 2) }, Ended,
            "valueDate", $"2025-01-02 is after project {Given.Project.Id}'s end 2024-06-30 (expenditures may follow it by 6 months, to 2024-12-30).");
        Refuses(Given.Request() with { Currency = "USD", ValueDate = new(2021, 5, 1) }, Ended,
            "valueDate", $"2021-05-01 is before project {Given.Project.Id}'s start 2022-01-01.");
    }

    [TestCase("2024-12-30", true)]
    [TestCase("2024-12-31", false)]
    public void A_completed_project_takes_expenditures_up_to_6_months_after_its_end(string valueDate, bool accepted)
    {
        var errors = new ValidationErrors();

        var row = LedgerRules.Validate(Given.Request() with { Type = "expenditure", Currency = "USD", ValueDate = DateOnly.Parse(valueDate) },
            Given.Reference(project: Ended with { ApprovalState = "completed" }), errors);

        Assert.That(row is not null, Is.EqualTo(accepted));
        if (!accepted)
        {
            Assert.That(errors.Faults().Keys, Is.SupersetOf(new[] { "projectId", "valueDate" }));
        }
    }

    [Test]
    public void A_province_not_among_the_projects_is_refused_by_its_current_unit()
    {
        // 10 (former) is now 15, which the project does not cover; 02 (former) is now 08, which it does.
        Refuses(Given.Request() with { ProvinceCode = "10" }, Given.Project, "provinceCode",
            $"10 (now 15) is not one of project {Given.Project.Id}'s provinces 01, 08, 79.");
        Assert.That(LedgerRules.Validate(Given.Request() with { ProvinceCode = "02" }, Given.Reference(), new ValidationErrors()), Is.Not.Null);
    }

    [Test]
    public void No_certificate_at_all_is_refused_naming_the_ngo_date_and_province() =>
        Refuses(Given.Request() with { ProvinceCode = "79" }, Given.Project, "provinceCode",
            $"NGO {Given.Ngo} holds no certificate valid on 2024-03-15 covering 79.", certificates: []);

    [Test]
    public void Without_a_province_a_certificate_covering_any_of_the_projects_provinces_will_do()
    {
        var elsewhere = Given.Certificate with { Provinces = ["48"] };
        var one = Given.Certificate with { Provinces = ["79"] };

        Refuses(Given.Request(), Given.Project, "valueDate",
            $"NGO {Given.Ngo} holds no certificate valid on 2024-03-15 covering any of project {Given.Project.Id}'s provinces 01, 08, 79.", certificates: [elsewhere]);
        Assert.That(LedgerRules.Validate(Given.Request(), Given.Reference(certificates: [elsewhere, one]), new ValidationErrors()), Is.Not.Null);
    }

    [Test]
    public void A_certificate_not_covering_the_province_is_refused() =>
        Refuses(Given.Request() with { ProvinceCode = "01" }, Given.Project, "provinceCode",
            $"NGO {Given.Ngo} holds no certificate valid on 2024-03-15 covering 01.", certificates: [Given.Certificate with { Provinces = ["08", "79"] }]);

    [TestCase("2024-03-09", true)]
    [TestCase("2024-03-10", false)]
    [TestCase("2024-03-19", false)]
    [TestCase("2024-03-20", true)]
    public void A_suspension_refuses_the_dates_it_spans_until_the_reinstatement_exclusive(string valueDate, bool accepted)
    {
        var suspended = Given.Certificate with { Version = 3, Interruptions = [new("suspension", new(2024, 3, 10), new(2024, 3, 20))] };
        var errors = new ValidationErrors();

        var row = LedgerRules.Validate(Given.Request() with { Currency = "USD", ValueDate = DateOnly.Parse(valueDate), ProvinceCode = "79" },
            Given.Reference(certificates: [suspended]), errors);

        Assert.That(row is not null, Is.EqualTo(accepted));
        if (!accepted)
        {
            Assert.That(errors.Faults()["provinceCode"], Is.EqualTo(new[]
            {
                $"NGO {Given.Ngo} holds no certificate valid on {valueDate} covering 79 ({Given.Certificate.Id} has a suspension from 2024-03-10).",
            }));
        }
    }

    [Test]
    public void A_revocation_refuses_every_date_from_it_and_expiry_every_date_after()
    {
        var revoked = Given.Certificate with { Version = 2, Status = "revoked", Interruptions = [new("revocation", new(2024, 3, 1), null)] };
        var expired = Given.Certificate with { ExpiresOn = new(2024, 3, 14) };

        Assert.That(LedgerRules.Validate(Given.Request(), Given.Reference(certificates: [revoked]), new ValidationErrors()), Is.Null);
        Assert.That(LedgerRules.Validate(Given.Request() with { ValueDate = new(2024, 2, 29) }, Given.Reference(certificates: [revoked]), new ValidationErrors()), Is.Not.Null);
        Assert.That(LedgerRules.Validate(Given.Request(), Given.Reference(certificates: [expired]), new ValidationErrors()), Is.Null);
        Assert.That(LedgerRules.Validate(Given.Request(), Given.Reference(certificates: [expired, Given.Certificate with { Id = Guid.NewGuid(), IssuedOn = new(2024, 3, 15) }]),
            new ValidationErrors()), Is.Not.Null, "a second certificate taking over on the day");
    }

    private static void Refuses(DisbursementRequest request, ProjectInfo project, string field, string message, IReadOnlyList<CertificateInfo>? certificates = null)
    {
        var errors = new ValidationErrors();

        var row = LedgerRules.Validate(request, Given.Reference(project: project, certificates: certificates), errors);

        Assert.That(row, Is.Null);
        Assert.That(errors.Faults(), Is.EqualTo(new Dictionary<string, string[]> { [field] = [message] }));
    }
}
