package dev.athanor.helm.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.helm.render.ChartRendering;
import dev.athanor.helm.render.Manifests;
import dev.athanor.helm.render.ValuesSet;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Ingest and query scale out; every workload keeps a replica through voluntary disruptions. */
class ScalingTest {

    @ParameterizedTest
    @EnumSource(value = ValuesSet.class, names = {"DEFAULT", "AWS", "GCP"})
    void ingestAndQueryHaveAutoscalersThatOwnTheirReplicaCount(ValuesSet values) {
        Manifests manifests = ChartRendering.render(values);

        HorizontalPodAutoscaler ingest = manifests.named(HorizontalPodAutoscaler.class, "athanor-ingest");
        assertThat(ingest.getSpec().getScaleTargetRef().getKind()).isEqualTo("StatefulSet");
        assertThat(ingest.getSpec().getScaleTargetRef().getName()).isEqualTo("athanor-ingest");
        assertThat(ingest.getSpec().getMinReplicas()).isEqualTo(2);
        assertThat(ingest.getSpec().getBehavior().getScaleDown().getStabilizationWindowSeconds()).isEqualTo(3600);
        HorizontalPodAutoscaler query = manifests.named(HorizontalPodAutoscaler.class, "athanor-query");
        assertThat(query.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(query.getSpec().getMetrics().getFirst().getResource().getName()).isEqualTo("cpu");
        // With an HPA the workload leaves replicas unset, so an upgrade never resets the HPA's count.
        assertThat(manifests.named(StatefulSet.class, "athanor-ingest").getSpec().getReplicas()).isNull();
        assertThat(manifests.named(Deployment.class, "athanor-query").getSpec().getReplicas()).isNull();
    }

    @Test
    void withoutAutoscalingTheReplicaCountComesFromValues() {
        Manifests manifests = ChartRendering.render(ValuesSet.LOCAL);

        assertThat(manifests.all(HorizontalPodAutoscaler.class)).isEmpty();
        assertThat(manifests.named(StatefulSet.class, "athanor-ingest").getSpec().getReplicas()).isEqualTo(1);
        assertThat(manifests.named(Deployment.class, "athanor-query").getSpec().getReplicas()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(ValuesSet.class)
    void everyWorkloadHasADisruptionBudgetSelectingItsPods(ValuesSet values) {
        Manifests manifests = ChartRendering.render(values);

        for (String name : new String[] {"athanor-ingest", "athanor-query", "athanor-web-ui"}) {
            PodDisruptionBudget pdb = manifests.named(PodDisruptionBudget.class, name);
            assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
            assertThat(pdb.getSpec().getSelector().getMatchLabels())
                    .containsEntry("app.kubernetes.io/component", name.substring("athanor-".length()));
        }
    }

    @ParameterizedTest
    @EnumSource(ValuesSet.class)
    void eachIngestReplicaGetsItsOwnRetainedVolumeSharedWithItsArchiver(ValuesSet values) {
        StatefulSet ingest = ChartRendering.render(values).named(StatefulSet.class, "athanor-ingest");

        PersistentVolumeClaim hot = ingest.getSpec().getVolumeClaimTemplates().getFirst();
        assertThat(hot.getMetadata().getName()).isEqualTo("hot");
        assertThat(hot.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
        assertThat(ingest.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenScaled()).isEqualTo("Retain");
        assertThat(ingest.getSpec().getPersistentVolumeClaimRetentionPolicy().getWhenDeleted()).isEqualTo("Retain");
        var containers = ingest.getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).extracting(c -> c.getName()).containsExactly("ingest", "archive");
        assertThat(containers).allSatisfy(c -> assertThat(c.getVolumeMounts())
                .anySatisfy(m -> assertThat(m.getName() + ":" + m.getMountPath()).isEqualTo("hot:/var/lib/athanor/hot")));
        assertThat(containers.get(1).getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("ATHANOR_ARCHIVE_HOT_NODE");
            assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
        });
        assertThat(containers.get(0).getEnv()).anySatisfy(e -> {
            assertThat(e.getName()).isEqualTo("ATHANOR_INGEST_NODE_NAME");
            assertThat(e.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("metadata.name");
        });
    }
}
