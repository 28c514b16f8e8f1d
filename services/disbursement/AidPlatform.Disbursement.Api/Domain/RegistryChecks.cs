namespace AidPlatform.Disbursement.Api.Domain;

/// <summary>
/// The ledger's checks against the registry (API.md "Ledger checks against the registry" and the ledger bullet of
/// "Approval of aid projects"): a row's value date lies within its project's period, its province is one of the
/// project's, the project's approval state admits the row's type, and the NGO holds a certificate valid on the value
/// date that covers the province. Each check is a yes or no on resolved data; the message naming the rule and its
/// values is formatted only for a no (an import checks a million rows).
/// </summary>
public static class RegistryChecks
{
    /// <summary>Expenditures may follow a project's end by this many months.</summary>
    public const int ExpenditureMonths = 6;

    public const string Expenditure = "expenditure";

    /// <summary>
    /// The approval states every type is accepted in (expenditures also <c>completed</c>, within the tail). API.md
    /// accepts commitments "from approved": from the approval on, so a project in implementation may commit its next
    /// tranche (its first disbursement moves it there by itself, and commitments must not race that event).
    /// </summary>
    public static readonly IReadOnlyList<string> FlowStates = ["approved", "in-implementation", "amendment-pending"];

    /// <summary>The last value date a row of <paramref name="type"/> may carry; null while the project has no end.</summary>
    public static DateOnly? LastDay(ProjectInfo project, string type) =>
        project.EndDate is not { } end ? null : type == Expenditure ? end.AddMonths(ExpenditureMonths) : end;

    public static bool WithinPeriod(ProjectInfo project, string type, DateOnly valueDate) =>
        valueDate >= project.StartDate && (LastDay(project, type) is not { } last || valueDate <= last);

    public static string PeriodMessage(ProjectInfo project, string type, DateOnly valueDate)
    {
        if (valueDate < project.StartDate)
        {
            return $"{valueDate:yyyy-MM-dd} is before project {project.Id}'s start {project.StartDate:yyyy-MM-dd}.";
        }

        var tail = type == Expenditure
            ? $"expenditures may follow it by {ExpenditureMonths} months, to {LastDay(project, type):yyyy-MM-dd}"
            : $"only expenditures may follow it, by {ExpenditureMonths} months";
        return $"{valueDate:yyyy-MM-dd} is after project {project.Id}'s end {project.EndDate:yyyy-MM-dd} ({tail}).";
    }

    /// <summary>Whether the project's approval state admits a row of <paramref name="type"/> on <paramref name="valueDate"/>.</summary>
    public static bool StateAdmits(ProjectInfo project, string type, DateOnly valueDate)
    {
        var state = project.ApprovalState;
        return FlowStates.Contains(state)
            || (type == Expenditure && state == "completed" && (project.EndDate is not { } end || valueDate <= end.AddMonths(ExpenditureMonths)));
    }

    public static string StateMessage(ProjectInfo project, string type)
    {
        var need = string.Join(", ", FlowStates) + (type == Expenditure
            ? $", or completed for a value date up to {ExpenditureMonths} months after its end" + (project.EndDate is { } end ? $" ({end.AddMonths(ExpenditureMonths):yyyy-MM-dd})" : "")
            : "");
        return $"Project {project.Id} is {project.ApprovalState}: {type}s need {need}.";
    }

    /// <summary>Whether <paramref name="current"/> (a current province code) is one of the project's provinces.</summary>
    public static bool InProject(ProjectInfo project, string current) => Array.IndexOf(project.Provinces, current) >= 0;

    public static string ProvinceMessage(ProjectInfo project, string given, string current) =>
        $"{given}{(given == current ? "" : $" (now {current})")} is not one of project {project.Id}'s provinces {Listed(project.Provinces)}.";

    /// <summary>
    /// Whether one of the NGO's <paramref name="certificates"/> is valid on <paramref name="valueDate"/> and covers
    /// <paramref name="current"/>; with no province, any of the project's provinces (any province when it lists none).
    /// </summary>
    public static bool Certified(IReadOnlyList<CertificateInfo> certificates, ProjectInfo project, string? current, DateOnly valueDate)
    {
        foreach (var certificate in certificates)
        {
            if (certificate.ValidOn(valueDate) && Covers(certificate, project, current))
            {
                return true;
            }
        }

        return false;
    }

    public static string CertificateMessage(IReadOnlyList<CertificateInfo> certificates, ProjectInfo project, string? current, DateOnly valueDate)
    {
        var covering = current is not null ? current : project.Provinces.Length > 0 ? $"any of project {project.Id}'s provinces {Listed(project.Provinces)}" : "any province";
        var message = $"NGO {project.NgoId} holds no certificate valid on {valueDate:yyyy-MM-dd} covering {covering}";
        // Name why the nearest candidates fail: a certificate covering the province but not valid that day.
        var interrupted = certificates.Where(c => Covers(c, project, current) && c.IssuedOn <= valueDate && valueDate <= c.ExpiresOn)
            .SelectMany(c => c.Interruptions.Where(g => g.Covers(valueDate)).Select(g => $"{c.Id} has a {g.Kind} from {g.From:yyyy-MM-dd}")).ToList();
        return interrupted.Count > 0 ? $"{message} ({string.Join("; ", interrupted)})." : message + ".";
    }

    private static bool Covers(CertificateInfo certificate, ProjectInfo project, string? current)
    {
        if (current is not null)
        {
            return certificate.Provinces.Contains(current);
        }

        return project.Provinces.Length == 0 || project.Provinces.Any(certificate.Provinces.Contains);
    }

    private static string Listed(IEnumerable<string> codes) => string.Join(", ", codes.Order(StringComparer.Ordinal));
}
