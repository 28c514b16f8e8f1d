using AidPlatform.DemoSeed;

// usage: AidPlatform.DemoSeed [registryUrl] [disbursementUrl]
var registry = new Uri(args.ElementAtOrDefault(0) ?? "http://127.0.0.1:5101");
var disbursement = new Uri(args.ElementAtOrDefault(1) ?? "http://127.0.0.1:5102");
var started = DateTime.UtcNow;
var projects = await RegistrySeed.Run(registry);
var ledger = await LedgerSeed.Run(disbursement, projects);
var approvals = await ApprovalSeed.Run(registry, projects);
Console.WriteLine($"Demo data loaded in {(DateTime.UtcNow - started).TotalSeconds:N0} s: {projects.Select(p => p.NgoId).Distinct().Count()} NGOs, " +
    $"{projects.Count} projects, {ledger.Rows:N0} ledger rows, US${ledger.Disbursed2020To2024:N0} disbursed 2020-2024; " +
    $"dossiers on line: {string.Join(", ", approvals.OrderBy(a => a.Key).Select(a => $"{a.Value} {a.Key}"))}.");
