using k8s.Models;

namespace AidPlatform.Deploy.Tests;

/// <summary>A pod as NetworkPolicies see it: where it runs and its labels. A null namespace is outside the cluster.</summary>
public sealed record PodEndpoint(string Description, string? Namespace, IDictionary<string, string> Labels);

/// <summary>
/// Evaluates the rendered NetworkPolicies as the API defines them: a pod selected by a policy of a direction
/// is isolated in that direction and accepts only what one of those policies allows; a flow needs the
/// sender's egress and the receiver's ingress.
/// </summary>
public sealed class NetworkFlows(Rendered rendered, string appNamespace)
{
    private readonly IReadOnlyList<V1NetworkPolicy> policies = rendered.All<V1NetworkPolicy>().ToList();

    public bool Allows(PodEndpoint from, PodEndpoint to, int port) =>
        Direction(from, "Egress", rule => ((V1NetworkPolicyEgressRule)rule).To, rule => ((V1NetworkPolicyEgressRule)rule).Ports, to, port)
        && Direction(to, "Ingress", rule => ((V1NetworkPolicyIngressRule)rule).FromProperty, rule => ((V1NetworkPolicyIngressRule)rule).Ports, from, port);

    private bool Direction(PodEndpoint pod, string type, Func<object, IList<V1NetworkPolicyPeer>?> peersOf, Func<object, IList<V1NetworkPolicyPort>?> portsOf, PodEndpoint other, int port)
    {
        if (pod.Namespace != appNamespace)
        {
            return true; // the policies here govern this namespace's pods only
        }

        var applying = policies.Where(p => (p.Spec.PolicyTypes ?? ["Ingress"]).Contains(type) && Manifests.Selects(p.Spec.PodSelector, pod.Labels)).ToList();
        if (applying.Count == 0)
        {
            return true;
        }

        return applying
            .SelectMany(p => type == "Egress" ? (p.Spec.Egress ?? []).Cast<object>() : (p.Spec.Ingress ?? []).Cast<object>())
            .Any(rule => PeersMatch(peersOf(rule), other) && PortsMatch(portsOf(rule), port));
    }

    private bool PeersMatch(IList<V1NetworkPolicyPeer>? peers, PodEndpoint other) =>
        peers is null || peers.Count == 0 || peers.Any(peer => PeerMatches(peer, other));

    private bool PeerMatches(V1NetworkPolicyPeer peer, PodEndpoint other)
    {
        if (peer.IpBlock is not null)
        {
            return other.Namespace is null;
        }

        if (other.Namespace is null)
        {
            return false;
        }

        var namespaceMatches = peer.NamespaceSelector is null
            ? other.Namespace == appNamespace
            : Manifests.Selects(peer.NamespaceSelector, new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = other.Namespace });
        var podMatches = peer.PodSelector is null || Manifests.Selects(peer.PodSelector, other.Labels);
        return namespaceMatches && podMatches;
    }

    private static bool PortsMatch(IList<V1NetworkPolicyPort>? ports, int port) =>
        ports is null || ports.Count == 0 || ports.Any(p => (p.Protocol ?? "TCP") == "TCP" && (p.Port is null || p.Port.Value == port.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}
