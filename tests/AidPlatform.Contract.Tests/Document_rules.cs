namespace AidPlatform.Contract.Tests;

/// <summary>Each rule of <see cref="Rules"/> over each service's live document: one test per rule per service.</summary>
public sealed class Document_rules
{
    public static IEnumerable<TestCaseData> Cases() =>
        from service in Services.Names
        from rule in Rules.All.Keys.Append("8 operationIds stay stable")
        select new TestCaseData(service, rule).SetName($"{service}: {rule}");

    [TestCaseSource(nameof(Cases))]
    public void Holds(string service, string rule)
    {
        var document = new OpenApiDocument(Services.Document(service));
        var violations = rule.StartsWith('8') ? MissingOperationIds(service, document) : Rules.All[rule](document).ToList();

        Assert.That(violations, Is.Empty, $"{service} breaks \"{rule}\" {violations.Count} times:\n  {string.Join("\n  ", violations)}\n");
    }

    /// <summary>Generated clients name their methods after operationIds: the committed ones must all remain (new ones are welcome).</summary>
    private static List<string> MissingOperationIds(string service, OpenApiDocument document)
    {
        var expected = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "OpenApi", $"{service}.operation-ids.txt"))
            .Where(line => line.Length > 0 && !line.StartsWith('#'));
        var present = document.Operations().Select(o => o.Id).ToHashSet();
        return expected.Where(id => !present.Contains(id)).Select(id => $"operationId {id} is gone").ToList();
    }
}
