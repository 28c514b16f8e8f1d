using System.Globalization;
using k8s.Models;
using Npgsql;

namespace AidPlatform.Deploy.Tests;

/// <summary>
/// deploy/k8s, each overlay rendered by <c>kubectl kustomize</c> and parsed strictly, against the rules a
/// production deployment of several instances needs (issue 22).
/// </summary>
[TestFixtureSource(typeof(Manifests), nameof(Manifests.Overlays))]
public sealed class Kubernetes_manifests(string overlay)
{
    private static readonly string[] Services = ["registry", "disbursement", "reporting"];

    private Rendered rendered = null!;

    [OneTimeSetUp]
    public void Render() => rendered = Manifests.Render(overlay);

    [Test]
    public void Renders_every_part_and_parses_strictly()
    {
        var kinds = rendered.Objects.Select(o => ((k8s.IKubernetesObject)o).Kind).ToHashSet();
        Assert.That(kinds, Is.SupersetOf(new[]
        {
            "Deployment", "Service", "PodDisruptionBudget", "HorizontalPodAutoscaler", "NetworkPolicy", "Job", "Secret", "ConfigMap",
            "RabbitmqCluster", "Cluster", "Pooler", "ScheduledBackup",
        }));
        Assert.That(rendered.All<V1Deployment>().Select(d => d.Metadata.Name), Is.EquivalentTo(Services));
        Assert.That(rendered.All<V1Job>().Select(j => j.Metadata.Name), Is.EquivalentTo(Services.Select(s => $"{s}-migrate")));
    }

    [Test]
    public void Deployments_run_at_least_two_replicas_with_probes_resources_and_a_non_root_user()
    {
        Assert.Multiple(() =>
        {
            foreach (var deployment in rendered.All<V1Deployment>())
            {
                var name = deployment.Metadata.Name;
                var pod = deployment.Spec.Template.Spec;
                Assert.That(deployment.Spec.Replicas, Is.GreaterThanOrEqualTo(2), $"{name}: replicas");
                Assert.That(pod.SecurityContext?.RunAsNonRoot, Is.True, $"{name}: runAsNonRoot");
                Assert.That(pod.SecurityContext?.RunAsUser, Is.Not.Null.And.Not.Zero, $"{name}: runAsUser");
                foreach (var container in pod.Containers)
                {
                    var where = $"{name}/{container.Name}";
                    Assert.That(container.ReadinessProbe?.HttpGet?.Path, Is.EqualTo("/health/ready"), $"{where}: readiness");
                    Assert.That(container.LivenessProbe?.HttpGet?.Path, Is.EqualTo("/health/live"), $"{where}: liveness");
                    Assert.That(container.StartupProbe?.HttpGet?.Path, Is.Not.Null, $"{where}: startup probe");
                    Assert.That(container.Lifecycle?.PreStop, Is.Not.Null, $"{where}: preStop");
                    Assert.That(container.Resources?.Requests?.Keys, Is.SupersetOf(new[] { "cpu", "memory" }), $"{where}: requests");
                    Assert.That(container.Resources?.Limits?.Keys, Does.Contain("memory"), $"{where}: memory limit");
                    Assert.That(container.SecurityContext?.AllowPrivilegeEscalation, Is.False, $"{where}: allowPrivilegeEscalation");
                    Assert.That(container.SecurityContext?.RunAsUser ?? pod.SecurityContext?.RunAsUser, Is.Not.Zero, $"{where}: root");
                    foreach (var port in new object?[] { container.ReadinessProbe?.HttpGet?.Port, container.LivenessProbe?.HttpGet?.Port, container.StartupProbe?.HttpGet?.Port })
                    {
                        Assert.That(container.Ports.Select(p => p.Name), Does.Contain(port?.ToString()), $"{where}: a probe's port is not a container port");
                    }
                }
            }
        });
    }

    /// <summary>
    /// SIGKILL comes terminationGracePeriodSeconds after the pod is told to stop, preStop included: it must
    /// cover the preStop pause and the host's shutdown timeout (DOTNET_SHUTDOWNTIMEOUTSECONDS), or a graceful
    /// stop (requests finishing, consumers finishing their message) is cut short.
    /// </summary>
    [Test]
    public void The_grace_period_covers_the_prestop_pause_and_the_shutdown_timeout()
    {
        Assert.Multiple(() =>
        {
            foreach (var deployment in rendered.All<V1Deployment>())
            {
                var pod = deployment.Spec.Template.Spec;
                var container = pod.Containers.Single();
                var shutdown = container.Env?.SingleOrDefault(e => e.Name == "DOTNET_SHUTDOWNTIMEOUTSECONDS")?.Value;
                Assert.That(shutdown, Is.Not.Null, $"{deployment.Metadata.Name}: DOTNET_SHUTDOWNTIMEOUTSECONDS is not set");
                var preStop = container.Lifecycle?.PreStop?.Exec?.Command is ["sleep", var seconds] ? int.Parse(seconds, CultureInfo.InvariantCulture) : 0;
                Assert.That(pod.TerminationGracePeriodSeconds, Is.GreaterThanOrEqualTo(preStop + int.Parse(shutdown ?? "0", CultureInfo.InvariantCulture)),
                    $"{deployment.Metadata.Name}: grace period against preStop {preStop} s + shutdown {shutdown} s");
            }
        });
    }

    [Test]
    public void Selectors_match_their_pods_and_every_service_selects_pods_that_exist()
    {
        var pods = rendered.PodTemplates.ToList();
        Assert.Multiple(() =>
        {
            foreach (var deployment in rendered.All<V1Deployment>())
            {
                Assert.That(Manifests.Selects(deployment.Spec.Selector, deployment.Spec.Template.Metadata.Labels), Is.True,
                    $"{deployment.Metadata.Name}: its selector does not select its own pods");
                var others = pods.Where(p => p.Name != deployment.Metadata.Name && Manifests.Selects(deployment.Spec.Selector, p.Template.Metadata.Labels));
                Assert.That(others.Select(p => p.Name), Is.Empty, $"{deployment.Metadata.Name}: its selector also selects other pods");
            }

            foreach (var service in rendered.All<V1Service>())
            {
                var selected = pods.Where(p => Manifests.Selects(service.Spec.Selector, p.Template.Metadata.Labels)).ToList();
                Assert.That(selected.Select(p => p.Kind), Is.Not.Empty.And.All.EqualTo("Deployment"), $"Service {service.Metadata.Name} selects no Deployment's pods (or a Job's)");
                foreach (var port in service.Spec.Ports)
                {
                    Assert.That(selected.All(p => p.Template.Spec.Containers.SelectMany(c => c.Ports).Any(cp => cp.Name == port.TargetPort?.ToString() || cp.ContainerPort.ToString(CultureInfo.InvariantCulture) == port.TargetPort?.ToString())),
                        Is.True, $"Service {service.Metadata.Name}: target port {port.TargetPort} is not a port of its pods");
                }
            }
        });
    }

    [Test]
    public void Disruption_budgets_and_autoscalers_target_deployments_that_exist()
    {
        var deployments = rendered.All<V1Deployment>().ToList();
        Assert.Multiple(() =>
        {
            Assert.That(rendered.All<V1PodDisruptionBudget>().Count(), Is.EqualTo(deployments.Count), "one PodDisruptionBudget per Deployment");
            foreach (var budget in rendered.All<V1PodDisruptionBudget>())
            {
                var covered = deployments.Where(d => Manifests.Selects(budget.Spec.Selector, d.Spec.Template.Metadata.Labels)).ToList();
                Assert.That(covered, Has.Count.EqualTo(1), $"PodDisruptionBudget {budget.Metadata.Name} selects {covered.Count} Deployments");
                Assert.That(budget.Spec.MinAvailable?.ToString() is { } min && int.Parse(min, CultureInfo.InvariantCulture) < covered.Single().Spec.Replicas, Is.True,
                    $"PodDisruptionBudget {budget.Metadata.Name}: minAvailable must leave room to drain a node");
            }

            Assert.That(rendered.All<V2HorizontalPodAutoscaler>().Count(), Is.EqualTo(deployments.Count), "one HorizontalPodAutoscaler per Deployment");
            foreach (var autoscaler in rendered.All<V2HorizontalPodAutoscaler>())
            {
                var target = autoscaler.Spec.ScaleTargetRef;
                Assert.That(target.Kind == "Deployment" && deployments.Any(d => d.Metadata.Name == target.Name), Is.True,
                    $"HorizontalPodAutoscaler {autoscaler.Metadata.Name} targets {target.Kind} {target.Name}, which does not exist");
                Assert.That(autoscaler.Spec.MinReplicas, Is.GreaterThanOrEqualTo(2), $"HorizontalPodAutoscaler {autoscaler.Metadata.Name}: minReplicas");
            }
        });
    }

    [Test]
    public void Every_image_has_a_tag_and_none_is_latest()
    {
        var images = rendered.PodTemplates.SelectMany(p => p.Template.Spec.Containers.Concat(p.Template.Spec.InitContainers ?? []).Select(c => (p.Name, c.Image)))
            .Concat(rendered.Custom("RabbitmqCluster").Select(r => (r.Metadata.Name, r.Text("image")!)))
            .Concat(rendered.Custom("Cluster").Select(c => (c.Metadata.Name, c.Text("imageName")!)))
            .ToList();
        Assert.Multiple(() =>
        {
            foreach (var (owner, image) in images)
            {
                Assert.That(image, Is.Not.Null, $"{owner}: no image");
                var tag = image.Contains('@', StringComparison.Ordinal) ? "digest" : image[(image.LastIndexOf('/') + 1)..].Split(':') is [_, var t] ? t : null;
                Assert.That(tag, Is.Not.Null.And.Not.EqualTo("latest"), $"{owner}: image {image} has no pinned tag");
            }
        });
    }

    [Test]
    public void Every_secret_and_config_map_referenced_exists_with_the_keys_asked_for()
    {
        var references = new List<(string Owner, string Kind, string Name, string? Key)>();
        foreach (var (_, name, template) in rendered.PodTemplates)
        {
            foreach (var container in template.Spec.Containers.Concat(template.Spec.InitContainers ?? []))
            {
                foreach (var from in container.EnvFrom ?? [])
                {
                    if (from.SecretRef is not null) references.Add((name, "Secret", from.SecretRef.Name, null));
                    if (from.ConfigMapRef is not null) references.Add((name, "ConfigMap", from.ConfigMapRef.Name, null));
                }

                foreach (var env in container.Env ?? [])
                {
                    if (env.ValueFrom?.SecretKeyRef is { } secretKey) references.Add((name, "Secret", secretKey.Name, secretKey.Key));
                    if (env.ValueFrom?.ConfigMapKeyRef is { } configKey) references.Add((name, "ConfigMap", configKey.Name, configKey.Key));
                }
            }

            foreach (var volume in template.Spec.Volumes ?? [])
            {
                if (volume.Secret is not null) references.Add((name, "Secret", volume.Secret.SecretName, null));
                if (volume.ConfigMap is not null) references.Add((name, "ConfigMap", volume.ConfigMap.Name, null));
            }
        }

        // What the operators read: the database owner, the roles' passwords, the object store's keys, the broker user.
        foreach (var cluster in rendered.Custom("Cluster"))
        {
            references.Add((cluster.Metadata.Name, "Secret", cluster.Text("bootstrap", "initdb", "secret", "name")!, "password"));
            foreach (var role in (List<object>)cluster.At("managed", "roles")!)
            {
                var map = (Dictionary<object, object>)role;
                references.Add((cluster.Metadata.Name, "Secret", (string)((Dictionary<object, object>)map["passwordSecret"])["name"], "password"));
            }

            foreach (var credential in new[] { "accessKeyId", "secretAccessKey" })
            {
                references.Add((cluster.Metadata.Name, "Secret", cluster.Text("backup", "barmanObjectStore", "s3Credentials", credential, "name")!,
                    cluster.Text("backup", "barmanObjectStore", "s3Credentials", credential, "key")));
            }
        }

        foreach (var user in rendered.Custom("User"))
        {
            references.Add((user.Metadata.Name, "Secret", user.Text("importCredentialsSecret", "name")!, "password"));
        }

        Assert.That(references, Is.Not.Empty);
        Assert.Multiple(() =>
        {
            foreach (var (owner, kind, name, key) in references)
            {
                IEnumerable<string>? keys = kind == "Secret"
                    ? rendered.Secret(name) is { } secret ? (secret.Data?.Keys ?? []).Concat(secret.StringData?.Keys ?? []) : null
                    : rendered.All<V1ConfigMap>().SingleOrDefault(c => c.Metadata.Name == name) is { } map ? map.Data?.Keys ?? [] : null;
                Assert.That(keys, Is.Not.Null, $"{owner} refers to {kind} {name}, which the overlay does not create");
                if (keys is not null && key is not null)
                {
                    Assert.That(keys, Does.Contain(key), $"{owner} refers to key {key} of {kind} {name}");
                }
            }
        });
    }

    /// <summary>
    /// Queries may go through the transaction-mode pooler; LISTEN (the outbox relay's wake-up), the migration
    /// runner's session advisory lock and migrations may not: a transaction pool silently drops notifications
    /// and does not keep a session (issue 21).
    /// </summary>
    [Test]
    public void The_relay_and_the_migrations_connect_directly_and_only_queries_go_through_the_pooler()
    {
        var pooler = rendered.Custom("Pooler").Single();
        var cluster = rendered.Custom("Cluster").Single();
        Assert.Multiple(() =>
        {
            Assert.That(pooler.Text("pgbouncer", "poolMode"), Is.EqualTo("transaction"));
            Assert.That(pooler.Text("cluster", "name"), Is.EqualTo(cluster.Metadata.Name));
            Assert.That(pooler.Text("type"), Is.EqualTo("rw"));
            var primary = $"{cluster.Metadata.Name}-rw";
            foreach (var deployment in rendered.All<V1Deployment>())
            {
                var container = deployment.Spec.Template.Spec.Containers.Single();
                Assert.That(Host(container, "ConnectionStrings__Postgres"), Is.EqualTo(pooler.Metadata.Name), $"{deployment.Metadata.Name}: queries through the pooler");
                Assert.That(Host(container, "ConnectionStrings__PostgresDirect"), Is.EqualTo(primary), $"{deployment.Metadata.Name}: LISTEN straight to the primary");
                Assert.That(SearchPath(container, "ConnectionStrings__Postgres"), Is.Null, $"{deployment.Metadata.Name}: pgBouncer refuses a SearchPath");
            }

            foreach (var job in rendered.All<V1Job>())
            {
                var container = job.Spec.Template.Spec.Containers.Single();
                Assert.That(container.Args, Does.Contain("--migrate-only"), $"{job.Metadata.Name}: migrate-only");
                Assert.That(container.Env.Select(e => e.Name), Does.Not.Contain("ConnectionStrings__Postgres"), $"{job.Metadata.Name}: no pooled connection");
                Assert.That(Host(container, "ConnectionStrings__PostgresDirect"), Is.EqualTo(primary), $"{job.Metadata.Name}: migrates on the primary");
                Assert.That(job.Spec.Template.Spec.RestartPolicy, Is.AnyOf("Never", "OnFailure"));
            }
        });
    }

    [Test]
    public void RabbitMQ_runs_three_nodes_that_pause_the_minority_on_a_partition()
    {
        var rabbit = rendered.Custom("RabbitmqCluster").Single();
        Assert.Multiple(() =>
        {
            Assert.That(rabbit.ApiVersion, Is.EqualTo("rabbitmq.com/v1beta1"));
            Assert.That(rabbit.Text("replicas"), Is.EqualTo("3"));
            Assert.That(rabbit.Text("rabbitmq", "additionalConfig"), Does.Match(@"(?m)^\s*cluster_partition_handling\s*=\s*pause_minority\s*$"));
            Assert.That(rendered.Custom("Vhost").Single().Text("defaultQueueType"), Is.EqualTo("quorum"));
            var config = rendered.All<V1ConfigMap>().Single(c => c.Metadata.Name == "aidplatform-config").Data;
            Assert.That(Enumerable.Range(0, 3).Select(i => config[$"RabbitMq__Hosts__{i}"]),
                Is.EqualTo(Enumerable.Range(0, 3).Select(i => $"{rabbit.Metadata.Name}-server-{i}.{rabbit.Metadata.Name}-nodes")), "RabbitMq:Hosts names each node");
        });
    }

    [Test]
    public void PostgreSQL_runs_three_instances_with_a_synchronous_standby_and_backs_up_to_object_storage()
    {
        var cluster = rendered.Custom("Cluster").Single();
        var scheduled = rendered.Custom("ScheduledBackup").Single();
        Assert.Multiple(() =>
        {
            Assert.That(cluster.ApiVersion, Is.EqualTo("postgresql.cnpg.io/v1"));
            Assert.That(cluster.Text("instances"), Is.EqualTo("3"));
            Assert.That(int.Parse(cluster.Text("postgresql", "synchronous", "number") ?? "0", CultureInfo.InvariantCulture), Is.GreaterThanOrEqualTo(1), "synchronous standbys");
            Assert.That(cluster.Text("postgresql", "synchronous", "dataDurability"), Is.EqualTo("required"));
            Assert.That(cluster.Text("backup", "barmanObjectStore", "destinationPath"), Does.StartWith("s3://"), "base backups and WAL to object storage");
            Assert.That(cluster.At("backup", "barmanObjectStore", "wal"), Is.Not.Null, "WAL archive");
            Assert.That(cluster.Text("backup", "retentionPolicy"), Is.Not.Null);
            Assert.That(scheduled.Text("cluster", "name"), Is.EqualTo(cluster.Metadata.Name));
            Assert.That(scheduled.Text("method"), Is.EqualTo("barmanObjectStore"));
            Assert.That(scheduled.Text("schedule")!.Split(' '), Has.Length.EqualTo(6), "CloudNativePG schedules have six fields, seconds first");
        });
    }

    [Test]
    public void Network_policies_deny_by_default_and_allow_only_the_flows_the_platform_needs()
    {
        var deny = rendered.All<V1NetworkPolicy>().Where(p => p.Spec.PodSelector.MatchLabels is null or { Count: 0 } && p.Spec.PodSelector.MatchExpressions is null or { Count: 0 }
            && p.Spec.Ingress is null && p.Spec.Egress is null).ToList();
        Assert.That(deny.SelectMany(p => p.Spec.PolicyTypes), Is.SupersetOf(new[] { "Ingress", "Egress" }), "a default-deny policy for both directions");

        var ns = rendered.All<V1Namespace>().Single().Metadata.Name;
        var flows = new NetworkFlows(rendered, ns);
        PodEndpoint Pod(string name) => rendered.PodTemplates.Single(p => p.Name == name) is var p ? new PodEndpoint(name, ns, p.Template.Metadata.Labels) : null!;
        var cluster = rendered.Custom("Cluster").Single().Metadata.Name;
        var pooler = new PodEndpoint("pooler", ns, new Dictionary<string, string> { ["cnpg.io/poolerName"] = rendered.Custom("Pooler").Single().Metadata.Name, ["cnpg.io/podRole"] = "pooler" });
        var postgres = new PodEndpoint("postgres", ns, new Dictionary<string, string> { ["cnpg.io/cluster"] = cluster, ["cnpg.io/podRole"] = "instance" });
        var rabbitName = rendered.Custom("RabbitmqCluster").Single().Metadata.Name;
        var rabbit = new PodEndpoint("rabbitmq", ns, new Dictionary<string, string> { ["app.kubernetes.io/name"] = rabbitName, ["app.kubernetes.io/component"] = "rabbitmq" });
        var ingress = new PodEndpoint("ingress controller", "ingress-nginx", new Dictionary<string, string>());
        var stranger = new PodEndpoint("a pod of another namespace", "elsewhere", new Dictionary<string, string>());
        var operatorPod = new PodEndpoint("CloudNativePG operator", "cnpg-system", new Dictionary<string, string>());

        var allowed = new List<(PodEndpoint From, PodEndpoint To, int Port)>
        {
            (ingress, Pod("registry"), 8080), (ingress, Pod("disbursement"), 8080), (ingress, Pod("reporting"), 8080),
            (Pod("disbursement"), Pod("registry"), 8080), (Pod("reporting"), Pod("disbursement"), 8080),
            (pooler, postgres, 5432), (postgres, postgres, 5432), (operatorPod, postgres, 8000),
            (Pod("registry-migrate"), postgres, 5432), (rabbit, rabbit, 25672), (rabbit, rabbit, 4369),
        };
        foreach (var service in Services)
        {
            allowed.Add((Pod(service), pooler, 5432));
            allowed.Add((Pod(service), postgres, 5432));
            allowed.Add((Pod(service), rabbit, 5672));
        }

        var denied = new List<(PodEndpoint From, PodEndpoint To, int Port)>
        {
            (stranger, Pod("registry"), 8080), (stranger, postgres, 5432), (stranger, rabbit, 5672),
            (Pod("registry"), Pod("disbursement"), 8080), (Pod("registry"), Pod("reporting"), 8080), (Pod("reporting"), Pod("registry"), 8080),
            (Pod("registry-migrate"), rabbit, 5672), (Pod("registry-migrate"), Pod("registry"), 8080),
            (ingress, postgres, 5432), (Pod("registry"), postgres, 22),
        };
        Assert.Multiple(() =>
        {
            foreach (var (from, to, port) in allowed)
            {
                Assert.That(flows.Allows(from, to, port), Is.True, $"{from.Description} -> {to.Description}:{port} should be allowed");
            }

            foreach (var (from, to, port) in denied)
            {
                Assert.That(flows.Allows(from, to, port), Is.False, $"{from.Description} -> {to.Description}:{port} should be denied");
            }
        });
    }

    private static NpgsqlConnectionStringBuilder ConnectionString(V1Container container, string name)
    {
        var value = container.Env?.SingleOrDefault(e => e.Name == name)?.Value;
        Assert.That(value, Is.Not.Null, $"{container.Name}: {name} is not set");
        return new NpgsqlConnectionStringBuilder(value!.Replace("$(DB_PASSWORD)", "x", StringComparison.Ordinal));
    }

    private static string? Host(V1Container container, string name) => ConnectionString(container, name).Host;

    private static string? SearchPath(V1Container container, string name) => ConnectionString(container, name).SearchPath;
}
