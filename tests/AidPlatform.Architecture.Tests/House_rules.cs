using System.Reflection;
using System.Text.RegularExpressions;
using AidPlatform.Testing;

namespace AidPlatform.Architecture.Tests;

/// <summary>
/// The layout README's architecture section describes, checked on the source and the built assemblies,
/// so that a newcomer finds any behaviour in two hops and a change lands in the room it belongs to.
/// </summary>
public sealed partial class House_rules
{
    private static readonly string[] Rooms = ["Data", "Domain", "Endpoints", "Messaging"];

    private static readonly Dictionary<string, Assembly> Services = new()
    {
        ["registry"] = typeof(AidPlatform.Registry.Api.RegistryServiceExtensions).Assembly,
        ["disbursement"] = typeof(AidPlatform.Disbursement.Api.DisbursementServiceExtensions).Assembly,
        ["reporting"] = typeof(AidPlatform.Reporting.Api.ReportingServiceExtensions).Assembly,
    };

    /// <summary>Assemblies whose types the domain may not touch: the database, the broker, HTTP.</summary>
    private static readonly string[] Impure = ["Npgsql", "Dapper", "MassTransit", "Microsoft.AspNetCore"];

    public static IEnumerable<string> ServiceNames => Services.Keys;

    private static string ProjectDirectory(string service) =>
        Path.Combine(TestEnvironment.RepoRoot, "services", service, $"AidPlatform.{char.ToUpperInvariant(service[0])}{service[1..]}.Api");

    private static IEnumerable<string> Sources(string service, string room) =>
        Directory.EnumerateFiles(Path.Combine(ProjectDirectory(service), room), "*.cs", SearchOption.AllDirectories);

    [TestCaseSource(nameof(ServiceNames))]
    public void Every_service_has_the_same_four_rooms_and_nothing_else(string service)
    {
        var folders = Directory.EnumerateDirectories(ProjectDirectory(service)).Select(Path.GetFileName)
            .Where(name => name is not ("bin" or "obj" or "Properties")).Order(StringComparer.Ordinal);
        var loose = Directory.EnumerateFiles(ProjectDirectory(service), "*.cs").Select(Path.GetFileName).Order(StringComparer.Ordinal);
        Assert.Multiple(() =>
        {
            Assert.That(folders, Is.EqualTo(Rooms));
            Assert.That(loose, Is.SubsetOf(new[] { "Program.cs", $"{char.ToUpperInvariant(service[0])}{service[1..]}ServiceExtensions.cs" }));
        });
    }

    [TestCaseSource(nameof(ServiceNames))]
    public void Endpoint_files_bind_call_and_map_in_200_lines_without_sql(string service)
    {
        var faults = new List<string>();
        foreach (var file in Sources(service, "Endpoints"))
        {
            var text = File.ReadAllText(file);
            var lines = File.ReadAllLines(file).Length;
            var name = Path.GetFileName(file);
            if (lines > 200)
            {
                faults.Add($"{name}: {lines} lines");
            }

            if (Regex.IsMatch(text, @"^using (Dapper|Npgsql)", RegexOptions.Multiline) || Sql().IsMatch(text))
            {
                faults.Add($"{name}: SQL");
            }
        }

        Assert.That(faults, Is.Empty);
    }

    [TestCaseSource(nameof(ServiceNames))]
    public void The_domain_touches_no_database_broker_or_http_type(string service)
    {
        var faults = new List<string>();
        foreach (var type in Services[service].GetTypes().Where(t => t.Namespace?.EndsWith(".Domain", StringComparison.Ordinal) == true))
        {
            faults.AddRange(Signatures(type).Where(IsImpure).Select(used => $"{type.Name} uses {used.FullName}"));
        }

        // Method bodies do not show in signatures: the sources must not import those namespaces either.
        foreach (var file in Sources(service, "Domain"))
        {
            faults.AddRange(File.ReadLines(file).Where(line => Impure.Any(ns => line.StartsWith($"using {ns}", StringComparison.Ordinal)))
                .Select(line => $"{Path.GetFileName(file)}: {line}"));
        }

        Assert.That(faults, Is.Empty);
    }

    [TestCaseSource(nameof(ServiceNames))]
    public void Consumers_live_in_messaging(string service)
    {
        var consumers = Services[service].GetTypes().Where(t => !t.IsAbstract && t.GetInterfaces().Any(i => i.Name == "IConsumer`1"));
        Assert.That(consumers.Where(t => t.Namespace?.EndsWith(".Messaging", StringComparison.Ordinal) != true).Select(t => t.FullName), Is.Empty);
    }

    [Test]
    public void Reference_data_is_kept_once_in_AidPlatform_Reference()
    {
        var shared = Directory.EnumerateFiles(Path.Combine(TestEnvironment.RepoRoot, "services", "AidPlatform.Reference", "Data"), "*.csv")
            .Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
        var copies = Services.Keys
            .SelectMany(s => Directory.EnumerateFiles(ProjectDirectory(s), "*.csv", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && shared.Contains(Path.GetFileName(f)));
        Assert.Multiple(() =>
        {
            Assert.That(shared, Does.Contain("provinces.csv").And.Contain("former_provinces.csv").And.Contain("dac_sectors.csv"));
            Assert.That(copies, Is.Empty);
        });
    }

    [Test]
    public void No_service_references_another()
    {
        var references = Services.ToDictionary(s => s.Key, s => s.Value.GetReferencedAssemblies().Select(a => a.Name).ToList());
        var crossed = references.SelectMany(r => Services.Where(o => o.Key != r.Key && r.Value.Contains(o.Value.GetName().Name)).Select(o => $"{r.Key} -> {o.Key}"));
        Assert.That(crossed, Is.Empty);
    }

    private static bool IsImpure(Type type) => Impure.Any(ns => type.Assembly.GetName().Name!.StartsWith(ns, StringComparison.Ordinal));

    /// <summary>Every type a type's declared members and bases mention, generic arguments unwrapped.</summary>
    private static IEnumerable<Type> Signatures(Type type)
    {
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var mentioned = new List<Type?> { type.BaseType };
        mentioned.AddRange(type.GetInterfaces());
        mentioned.AddRange(type.GetFields(all).Select(f => f.FieldType));
        mentioned.AddRange(type.GetProperties(all).Select(p => p.PropertyType));
        foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            mentioned.AddRange(method.GetParameters().Select(p => p.ParameterType));
            if (method is MethodInfo info)
            {
                mentioned.Add(info.ReturnType);
            }
        }

        return mentioned.OfType<Type>().SelectMany(Unwrap).Distinct();
    }

    private static IEnumerable<Type> Unwrap(Type type)
    {
        var element = type.HasElementType ? type.GetElementType()! : type;
        yield return element;
        foreach (var argument in element.IsGenericType ? element.GetGenericArguments() : [])
        {
            foreach (var inner in Unwrap(argument))
            {
                yield return inner;
            }
        }
    }

    [GeneratedRegex(@"""[^""]*\b(select\s+[\w*]|insert\s+into|delete\s+from|update\s+\w+\s+set)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Sql();
}
