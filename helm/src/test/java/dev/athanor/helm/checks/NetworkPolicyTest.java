package dev.athanor.helm.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.helm.render.ChartRendering;
import dev.athanor.helm.render.Manifests;
import dev.athanor.helm.render.ValuesSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyEgressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Only what must talk, talks: every pod is isolated both ways and opened port by port. */
class NetworkPolicyTest {

    @ParameterizedTest
    @EnumSource(ValuesSet.class)
    void everyPodOfTheReleaseIsIsolatedInBothDirections(ValuesSet values) {
        Manifests manifests = ChartRendering.render(values);
        List<NetworkPolicy> policies = manifests.all(NetworkPolicy.class);

        assertThat(policies).extracting(p -> p.getMetadata().getName())
                .containsExactlyInAnyOrder("athanor-ingest", "athanor-query", "athanor-web-ui");
        assertThat(policies).allSatisfy(p -> assertThat(p.getSpec().getPolicyTypes()).containsExactlyInAnyOrder("Ingress", "Egress"));
        manifests.podSpecs().keySet().forEach(workload -> {
            String component = workload.substring(workload.lastIndexOf("athanor-") + "athanor-".length());
            assertThat(policies).as("a policy selects %s", workload).anySatisfy(p ->
                    assertThat(p.getSpec().getPodSelector().getMatchLabels()).containsEntry("app.kubernetes.io/component", component));
        });
    }

    @ParameterizedTest
    @EnumSource(ValuesSet.class)
    void noIngressRuleIsOpenToEverySourceOrEveryPort(ValuesSet values) {
        for (NetworkPolicy policy : ChartRendering.render(values).all(NetworkPolicy.class)) {
            for (NetworkPolicyIngressRule rule : policy.getSpec().getIngress()) {
                assertThat(rule.getFrom()).as("%s: a rule without sources admits everyone", policy.getMetadata().getName()).isNotEmpty();
                assertThat(rule.getPorts()).as("%s: a rule without ports opens every port", policy.getMetadata().getName()).isNotEmpty();
                assertThat(rule.getFrom()).as("%s: a peer with no selector and no block", policy.getMetadata().getName())
                        .allMatch(peer -> peer.getIpBlock() != null || peer.getNamespaceSelector() != null || peer.getPodSelector() != null);
            }
        }
    }

    @Test
    void ingestTakesGrpcFromUploadersAndTheControllerAndMetricsFromPrometheusOnly() {
        NetworkPolicy ingest = ChartRendering.render(ValuesSet.DEFAULT).named(NetworkPolicy.class, "athanor-ingest");

        Map<Set<Integer>, List<NetworkPolicyPeer>> byPorts = ingest.getSpec().getIngress().stream()
                .collect(Collectors.toMap(r -> ports(r.getPorts()), NetworkPolicyIngressRule::getFrom));
        assertThat(byPorts).containsOnlyKeys(Set.of(9090), Set.of(8081, 8083));
        assertThat(byPorts.get(Set.of(9090))).filteredOn(p -> p.getNamespaceSelector() != null).extracting(NetworkPolicyPeer::getNamespaceSelector)
                .anySatisfy(s -> assertThat(s.getMatchLabels()).containsEntry("kubernetes.io/metadata.name", "ingress-nginx"))
                .anySatisfy(s -> assertThat(s.getMatchLabels()).containsEntry("athanor.dev/ingest-client", "true"));
        assertThat(byPorts.get(Set.of(8081, 8083))).singleElement()
                .satisfies(p -> assertThat(p.getNamespaceSelector().getMatchLabels()).containsEntry("kubernetes.io/metadata.name", "monitoring"));
    }

    @ParameterizedTest
    @EnumSource(ValuesSet.class)
    void ingestReplicasReachEachOthersGrpcForForwardingAndNothingElseOfEachOther(ValuesSet values) {
        NetworkPolicy ingest = ChartRendering.render(values).named(NetworkPolicy.class, "athanor-ingest");

        // In: the gRPC rule names the other ingest replicas (a stream forwarded to its run's owner).
        List<NetworkPolicyIngressRule> fromIngest = ingest.getSpec().getIngress().stream()
                .filter(r -> r.getFrom().stream().anyMatch(NetworkPolicyTest::isIngestPods)).toList();
        assertThat(fromIngest).singleElement().satisfies(r -> assertThat(ports(r.getPorts())).containsExactly(9090));
        // Out: to the ingest pods' gRPC port only.
        List<NetworkPolicyEgressRule> toIngest = ingest.getSpec().getEgress().stream()
                .filter(NetworkPolicyTest::toIngestPods).toList();
        assertThat(toIngest).singleElement().satisfies(r -> {
            assertThat(ports(r.getPorts())).containsExactly(9090);
            assertThat(r.getTo()).allMatch(NetworkPolicyTest::isIngestPods);
        });
    }

    private static boolean isIngestPods(NetworkPolicyPeer peer) {
        return peer.getPodSelector() != null && peer.getPodSelector().getMatchLabels() != null
                && "ingest".equals(peer.getPodSelector().getMatchLabels().get("app.kubernetes.io/component"))
                && peer.getNamespaceSelector() == null;
    }

    @Test
    void queryAndTheUiAcceptOnlyTheirHttpPortAndQueryItsDataProviderPortFromTheIngressController() {
        Manifests manifests = ChartRendering.render(ValuesSet.DEFAULT);

        assertThat(manifests.named(NetworkPolicy.class, "athanor-web-ui").getSpec().getIngress())
                .allSatisfy(r -> assertThat(ports(r.getPorts())).containsExactly(8080));
        List<NetworkPolicyIngressRule> query = manifests.named(NetworkPolicy.class, "athanor-query").getSpec().getIngress();
        assertThat(query).extracting(r -> ports(r.getPorts())).containsExactly(Set.of(8080), Set.of(9190));
        // The data provider is for an Ingress routed to it: from the controller's pods, as HTTP is.
        assertThat(query.get(1).getFrom()).isNotEmpty().isSubsetOf(query.get(0).getFrom());
    }

    @ParameterizedTest
    @EnumSource(ValuesSet.class)
    void theUiCallsNothingAndTheServicesOnlyDnsDatabaseKeycloakAndStorage(ValuesSet values) {
        Manifests manifests = ChartRendering.render(values);

        assertThat(manifests.named(NetworkPolicy.class, "athanor-web-ui").getSpec().getEgress()).isEmpty();
        Set<Integer> allowed = values == ValuesSet.LOCAL ? Set.of(53, 5432, 443, 9000, 8080, 80)
                : values == ValuesSet.GCP ? Set.of(53, 5432, 443, 80, 988) : Set.of(53, 5432, 443);
        for (String name : List.of("athanor-ingest", "athanor-query")) {
            NetworkPolicy policy = manifests.named(NetworkPolicy.class, name);
            assertThat(policy.getSpec().getEgress()).allSatisfy(r -> assertThat(r.getPorts()).as("%s egress without ports", name).isNotEmpty());
            Set<Integer> ports = policy.getSpec().getEgress().stream()
                    .filter(r -> !toIngestPods(r))
                    .flatMap(r -> ports(r.getPorts()).stream()).collect(Collectors.toSet());
            assertThat(ports).as(name).isEqualTo(allowed);
        }
        // query-service reads live segments from the ingest pods' gRPC, and ingest forwards batches to
        // a run's owning replica there: both only on that port.
        for (String name : List.of("athanor-query", "athanor-ingest")) {
            List<NetworkPolicyEgressRule> toIngest = manifests.named(NetworkPolicy.class, name).getSpec().getEgress()
                    .stream().filter(NetworkPolicyTest::toIngestPods).toList();
            assertThat(toIngest).as(name).singleElement().satisfies(r -> assertThat(ports(r.getPorts())).containsExactly(9090));
        }
    }

    private static boolean toIngestPods(NetworkPolicyEgressRule rule) {
        return rule.getTo() != null && rule.getTo().stream().anyMatch(peer -> peer.getPodSelector() != null
                && "ingest".equals(peer.getPodSelector().getMatchLabels().get("app.kubernetes.io/component")));
    }

    @Test
    void alertWebhooksGetTheirOwnEgressRuleAndAllowListOnlyWhenGiven() {
        Manifests manifests = ChartRendering.render(ValuesSet.DEFAULT, Map.of(
                "networkPolicy.egress.alertWebhookCidrs[0]", "203.0.113.0/24",
                "networkPolicy.egress.alertWebhookPorts[0]", 8443,
                "query.alerts.allowedTargets[0]", "10.9.0.0/16",
                "query.alerts.allowedTargets[1]", "hooks.internal"));
        List<NetworkPolicyEgressRule> toWebhooks = manifests.named(NetworkPolicy.class, "athanor-query").getSpec().getEgress()
                .stream().filter(r -> r.getTo() != null && r.getTo().stream().anyMatch(p -> p.getIpBlock() != null
                        && "203.0.113.0/24".equals(p.getIpBlock().getCidr()))).toList();
        assertThat(toWebhooks).singleElement().satisfies(r -> assertThat(ports(r.getPorts())).containsExactly(8443));
        assertThat(manifests.named(io.fabric8.kubernetes.api.model.ConfigMap.class, "athanor-query").getData())
                .containsEntry("ATHANOR_ALERTS_ALLOWED_TARGETS", "10.9.0.0/16,hooks.internal");
        assertThat(ChartRendering.render(ValuesSet.DEFAULT).named(io.fabric8.kubernetes.api.model.ConfigMap.class,
                "athanor-query").getData()).doesNotContainKey("ATHANOR_ALERTS_ALLOWED_TARGETS");
    }

    @Test
    void anAlbReachesPodsFromItsSubnetsNotFromANamespace() {
        NetworkPolicy query = ChartRendering.render(ValuesSet.AWS).named(NetworkPolicy.class, "athanor-query");

        List<NetworkPolicyPeer> fromController = query.getSpec().getIngress().getFirst().getFrom();
        assertThat(fromController).filteredOn(p -> p.getIpBlock() != null).extracting(p -> p.getIpBlock().getCidr())
                .containsExactly("10.0.0.0/16");
        assertThat(fromController).noneMatch(p -> p.getNamespaceSelector() != null && p.getNamespaceSelector().getMatchLabels() == null
                && p.getNamespaceSelector().getMatchExpressions().isEmpty());
    }

    private static Set<Integer> ports(List<NetworkPolicyPort> ports) {
        return ports.stream().map(p -> p.getPort().getIntVal()).collect(Collectors.toSet());
    }
}
