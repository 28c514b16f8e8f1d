using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using YamlDotNet.Serialization;

namespace AidPlatform.Deploy.Tests;

/// <summary>deploy/compose/compose.yaml as Debian's docker-compose reads it (<c>config</c>: anchors merged, variables set).</summary>
public sealed partial class Compose_file
{
    private static readonly string[] Services = ["registry", "disbursement", "reporting"];

    private static readonly string ComposeFile = Path.Combine("deploy", "compose", "compose.yaml");

    private Dictionary<string, Dictionary<object, object>> services = null!;

    [OneTimeSetUp]
    public void Read()
    {
        var yaml = Tools.Succeed("docker-compose", "-f", ComposeFile, "config");
        var document = new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(yaml);
        services = ((Dictionary<object, object>)document["services"]).ToDictionary(s => (string)s.Key, s => (Dictionary<object, object>)s.Value);
    }

    [Test]
    public void Docker_compose_finds_the_file_valid() =>
        Tools.Succeed("docker-compose", "-f", ComposeFile, "config", "-q");

    [Test]
    public void Each_service_runs_two_instances_that_start_once_its_one_shot_migration_has_succeeded()
    {
        Assert.Multiple(() =>
        {
            foreach (var service in Services)
            {
                var migrate = services[$"{service}-migrate"];
                Assert.That(List(migrate, "command"), Does.Contain("--migrate-only"), $"{service}-migrate runs the migrations only");
                Assert.That(migrate.GetValueOrDefault("restart")?.ToString(), Is.EqualTo("no"), $"{service}-migrate runs once");
                Assert.That(Environment(migrate).Keys, Does.Not.Contain("ConnectionStrings__Postgres"), $"{service}-migrate: no pooled connection");
                Assert.That(Host(Environment(migrate)["ConnectionStrings__PostgresDirect"]), Is.EqualTo("postgres"), $"{service}-migrate: migrates on the server itself");

                var instances = services.Where(s => Image(s.Value).StartsWith($"aidplatform/{service}:", StringComparison.Ordinal) && s.Key != $"{service}-migrate").ToList();
                Assert.That(instances, Has.Count.EqualTo(2), $"{service}: instances");
                foreach (var (name, instance) in instances)
                {
                    var dependsOn = (Dictionary<object, object>)instance["depends_on"];
                    Assert.That(Condition(dependsOn, $"{service}-migrate"), Is.EqualTo("service_completed_successfully"), $"{name} waits for its migration to succeed");
                    Assert.That(Condition(dependsOn, "pgbouncer"), Is.EqualTo("service_healthy"), $"{name} waits for pgBouncer");
                }
            }
        });
    }

    [Test]
    public void RabbitMQ_runs_three_nodes_that_form_one_cluster_and_pause_the_minority()
    {
        var nodes = services.Where(s => Image(s.Value).StartsWith("rabbitmq:", StringComparison.Ordinal)).ToList();
        Assert.That(nodes, Has.Count.EqualTo(3));
        var configuration = File.ReadAllText(Path.Combine(Tools.RepoRoot, "deploy", "compose", "rabbitmq", "rabbitmq.conf"));
        var listed = ClassicConfigNode().Matches(configuration).Select(m => m.Groups[1].Value).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(listed, Is.EquivalentTo(nodes.Select(n => $"rabbit@{n.Value["hostname"]}")), "the peer list names each node by its hostname");
            Assert.That(configuration, Does.Match(@"(?m)^cluster_partition_handling\s*=\s*pause_minority$"));
            Assert.That(nodes.Select(n => Environment(n.Value)["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"]).Distinct().Count(), Is.EqualTo(1), "one Erlang cookie for the cluster");
            foreach (var (name, node) in nodes)
            {
                Assert.That(List(node, "volumes"), Has.Some.EndsWith("rabbitmq/rabbitmq.conf:/etc/rabbitmq/rabbitmq.conf:ro"), $"{name} reads the cluster's configuration");
            }

            foreach (var service in Services)
            {
                var environment = Environment(services[$"{service}-1"]);
                Assert.That(Enumerable.Range(0, 3).Select(i => environment[$"RabbitMq__Hosts__{i}"]), Is.EquivalentTo(nodes.Select(n => n.Key)), $"{service}: RabbitMq:Hosts names each node");
            }
        });
    }

    [Test]
    public void Queries_go_through_pgbouncer_in_transaction_mode_and_the_relay_connects_directly()
    {
        var ini = File.ReadAllText(Path.Combine(Tools.RepoRoot, "deploy", "compose", "pgbouncer", "pgbouncer.ini"));
        Assert.Multiple(() =>
        {
            Assert.That(ini, Does.Match(@"(?m)^pool_mode\s*=\s*transaction$"));
            Assert.That(services, Does.ContainKey("pgbouncer").And.ContainKey("postgres"));
            foreach (var (name, service) in services.Where(s => Environment(s.Value).ContainsKey("ConnectionStrings__Postgres")))
            {
                var pooled = new NpgsqlConnectionStringBuilder(Environment(service)["ConnectionStrings__Postgres"]);
                Assert.That((pooled.Host, pooled.Port), Is.EqualTo(("pgbouncer", 6432)), $"{name}: queries through pgBouncer");
                Assert.That(pooled.SearchPath, Is.Null, $"{name}: pgBouncer refuses a SearchPath");
                Assert.That(Host(Environment(service)["ConnectionStrings__PostgresDirect"]), Is.EqualTo("postgres"), $"{name}: LISTEN on the server itself");
            }
        });
    }

    [Test]
    public void Every_long_running_container_has_a_healthcheck_a_pinned_image_and_time_to_stop()
    {
        Assert.Multiple(() =>
        {
            foreach (var (name, service) in services)
            {
                var image = Image(service);
                Assert.That(image, Does.Contain(":").And.Not.EndsWith(":latest"), $"{name}: image {image} is not pinned");
                if (service.GetValueOrDefault("restart")?.ToString() == "no")
                {
                    continue;
                }

                Assert.That(service.ContainsKey("healthcheck"), Is.True, $"{name}: no healthcheck");
                if (Environment(service).TryGetValue("DOTNET_SHUTDOWNTIMEOUTSECONDS", out var shutdown))
                {
                    var grace = Seconds(service.GetValueOrDefault("stop_grace_period")?.ToString() ?? "10s");
                    Assert.That(grace, Is.GreaterThan(int.Parse(shutdown, CultureInfo.InvariantCulture)), $"{name}: stop_grace_period against the {shutdown} s shutdown timeout");
                }
            }
        });
    }

    private static string Image(Dictionary<object, object> service) => service.GetValueOrDefault("image")?.ToString() ?? "";

    private static Dictionary<string, string> Environment(Dictionary<object, object> service) =>
        service.GetValueOrDefault("environment") is Dictionary<object, object> map
            ? map.ToDictionary(e => (string)e.Key, e => e.Value?.ToString() ?? "")
            : [];

    private static List<string> List(Dictionary<object, object> service, string key) =>
        service.GetValueOrDefault(key) is List<object> list ? list.Select(i => i.ToString()!).ToList() : [];

    private static string? Condition(Dictionary<object, object> dependsOn, string service) =>
        dependsOn.GetValueOrDefault(service) is Dictionary<object, object> d ? d.GetValueOrDefault("condition")?.ToString() : null;

    private static string? Host(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString).Host;

    private static int Seconds(string duration)
    {
        var match = DurationPattern().Match(duration);
        Assert.That(match.Success, Is.True, $"cannot read the duration {duration}");
        return (int.Parse(match.Groups["m"].Success ? match.Groups["m"].Value : "0", CultureInfo.InvariantCulture) * 60)
            + int.Parse(match.Groups["s"].Success ? match.Groups["s"].Value : "0", CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"(?m)^cluster_formation\.classic_config\.nodes\.\d+\s*=\s*(\S+)$")]
    private static partial Regex ClassicConfigNode();

    [GeneratedRegex(@"^(?:(?<m>\d+)m)?(?:(?<s>\d+)s)?$")]
    private static partial Regex DurationPattern();
}
