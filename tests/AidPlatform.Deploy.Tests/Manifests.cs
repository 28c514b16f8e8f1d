using System.Collections.Concurrent;
using k8s;
using k8s.Models;

namespace AidPlatform.Deploy.Tests;

/// <summary>
/// A resource of an operator's kind (RabbitmqCluster, CloudNativePG Cluster...): its metadata parsed strictly
/// with the client's model, its spec as the YAML tree it is.
/// </summary>
public sealed class CustomResource : IKubernetesObject<V1ObjectMeta>
{
    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public V1ObjectMeta Metadata { get; set; } = new();

    public Dictionary<object, object> Spec { get; set; } = [];

    /// <summary>The value at a path of keys under spec, or null.</summary>
    public object? At(params string[] path)
    {
        object? node = Spec;
        foreach (var key in path)
        {
            node = node is Dictionary<object, object> map && map.TryGetValue(key, out var value) ? value : null;
        }

        return node;
    }

    public string? Text(params string[] path) => At(path)?.ToString();
}

/// <summary>One overlay as <c>kubectl kustomize</c> renders it, every document parsed strictly.</summary>
public sealed class Rendered(string overlay, IReadOnlyList<object> objects)
{
    public string Overlay { get; } = overlay;

    public IReadOnlyList<object> Objects { get; } = objects;

    public IEnumerable<T> All<T>() => Objects.OfType<T>();

    public IEnumerable<CustomResource> Custom(string kind) => All<CustomResource>().Where(r => r.Kind == kind);

    public V1Secret? Secret(string name) => All<V1Secret>().SingleOrDefault(s => s.Metadata.Name == name);

    /// <summary>Every pod template: the Deployments' and the Jobs'.</summary>
    public IEnumerable<(string Kind, string Name, V1PodTemplateSpec Template)> PodTemplates =>
        All<V1Deployment>().Select(d => ("Deployment", d.Metadata.Name, d.Spec.Template))
            .Concat(All<V1Job>().Select(j => ("Job", j.Metadata.Name, j.Spec.Template)));
}

public static class Manifests
{
    public static readonly string[] Overlays = ["local", "prod"];

    private static readonly Dictionary<string, Type> OperatorKinds = new[]
    {
        "rabbitmq.com/v1beta1/RabbitmqCluster", "rabbitmq.com/v1beta1/Vhost", "rabbitmq.com/v1beta1/User", "rabbitmq.com/v1beta1/Permission",
        "postgresql.cnpg.io/v1/Cluster", "postgresql.cnpg.io/v1/ScheduledBackup", "postgresql.cnpg.io/v1/Pooler",
    }.ToDictionary(kind => kind, _ => typeof(CustomResource));

    private static readonly ConcurrentDictionary<string, Lazy<Rendered>> Cache = new();

    /// <summary>
    /// Renders <c>deploy/k8s/overlays/{overlay}</c> and parses it with KubernetesClient in strict mode: a field
    /// the Kubernetes model does not have (a typo, a field at the wrong level) fails, as does a kind this
    /// suite does not know.
    /// </summary>
    public static Rendered Render(string overlay) => Cache.GetOrAdd(overlay, o => new Lazy<Rendered>(() =>
    {
        var yaml = Tools.Succeed("kubectl", "kustomize", Path.Combine("deploy", "k8s", "overlays", o));
        return new Rendered(o, KubernetesYaml.LoadAllFromString(yaml, OperatorKinds, strict: true));
    })).Value;

    /// <summary>Whether a label selector (matchLabels and matchExpressions) selects a pod with these labels.</summary>
    public static bool Selects(V1LabelSelector? selector, IDictionary<string, string>? labels)
    {
        if (selector is null)
        {
            return false;
        }

        labels ??= new Dictionary<string, string>();
        var byLabels = (selector.MatchLabels ?? new Dictionary<string, string>())
            .All(pair => labels.TryGetValue(pair.Key, out var value) && value == pair.Value);
        var byExpressions = (selector.MatchExpressions ?? []).All(e => e.OperatorProperty switch
        {
            "In" => labels.TryGetValue(e.Key, out var v) && e.Values.Contains(v),
            "NotIn" => !labels.TryGetValue(e.Key, out var v) || !e.Values.Contains(v),
            "Exists" => labels.ContainsKey(e.Key),
            "DoesNotExist" => !labels.ContainsKey(e.Key),
            _ => throw new InvalidOperationException($"unknown selector operator {e.OperatorProperty}"),
        });
        return byLabels && byExpressions;
    }

    public static bool Selects(IDictionary<string, string>? selector, IDictionary<string, string>? labels) =>
        selector is { Count: > 0 } && Selects(new V1LabelSelector { MatchLabels = selector }, labels);
}
