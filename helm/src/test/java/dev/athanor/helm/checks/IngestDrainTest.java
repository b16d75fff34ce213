package dev.athanor.helm.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.helm.render.ChartRendering;
import dev.athanor.helm.render.Manifests;
import dev.athanor.helm.render.ValuesSet;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A SIGTERM'd ingest replica (scale-down, upgrade, node drain) gets the time its drain needs:
 * leaving the Services (preStop), running calls ending (QUARKUS_SHUTDOWN_TIMEOUT), sealing and
 * committing, indexing what it holds, releasing its run leases and stopping the indexer's workers
 * (5 s each) — before the kubelet's SIGKILL. The same values drive the service's timeouts and the grace.
 */
class IngestDrainTest {

    private static final int FIXED_TAIL_SECONDS = 10;
    private static final int PER_INDEX_WORKER_SECONDS = 5;

    @ParameterizedTest
    @EnumSource(ValuesSet.class)
    void theGraceCoversPreStopShutdownTimeoutAndTheDrainsTail(ValuesSet values) {
        Manifests manifests = ChartRendering.render(values);
        PodSpec pod = manifests.named(StatefulSet.class, "athanor-ingest").getSpec().getTemplate().getSpec();
        Container ingest = manifests.containers().get("StatefulSet/athanor-ingest/ingest");
        Map<String, String> config = manifests.named(ConfigMap.class, "athanor-ingest").getData();

        long shutdownTimeout = Duration.parse(config.get("QUARKUS_SHUTDOWN_TIMEOUT")).toSeconds();
        long preStop = Long.parseLong(ingest.getLifecycle().getPreStop().getExec().getCommand().get(1));
        int workers = Integer.parseInt(config.get("ATHANOR_INGEST_INDEX_THREADS"));
        long indexDrain = Duration.parse(config.get("ATHANOR_INGEST_INDEX_DRAIN_TIMEOUT")).toSeconds();
        assertThat(ingest.getLifecycle().getPreStop().getExec().getCommand().getFirst()).isEqualTo("sleep");
        assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(preStop + shutdownTimeout + indexDrain
                + FIXED_TAIL_SECONDS + (long) PER_INDEX_WORKER_SECONDS * workers);
    }

    @Test
    void theDefaultsGiveTheReplicaNinetySeconds() {
        Manifests manifests = ChartRendering.render(ValuesSet.DEFAULT);

        assertThat(manifests.named(ConfigMap.class, "athanor-ingest").getData()).containsEntry("QUARKUS_SHUTDOWN_TIMEOUT", "PT35S")
                .containsEntry("ATHANOR_INGEST_INDEX_DRAIN_TIMEOUT", "PT30S");
        assertThat(manifests.named(StatefulSet.class, "athanor-ingest").getSpec().getTemplate().getSpec()
                .getTerminationGracePeriodSeconds()).isEqualTo(90L);
    }

    @Test
    void oneValueDrivesTheShutdownTimeoutAndTheGrace() {
        Manifests manifests = ChartRendering.render(ValuesSet.DEFAULT, Map.of("ingest.drain.timeoutSeconds", 120,
                "ingest.index.threads", 4));

        assertThat(manifests.named(ConfigMap.class, "athanor-ingest").getData()).containsEntry("QUARKUS_SHUTDOWN_TIMEOUT", "PT120S");
        assertThat(manifests.named(StatefulSet.class, "athanor-ingest").getSpec().getTemplate().getSpec()
                .getTerminationGracePeriodSeconds()).isEqualTo(5L + 120 + 30 + 10 + 5 * 4);
    }

    @Test
    void withoutAPreStopWaitThereIsNoHook() {
        Manifests manifests = ChartRendering.render(ValuesSet.DEFAULT, Map.of("ingest.drain.preStopSeconds", 0));

        assertThat(manifests.containers().get("StatefulSet/athanor-ingest/ingest").getLifecycle()).isNull();
        assertThat(manifests.named(StatefulSet.class, "athanor-ingest").getSpec().getTemplate().getSpec()
                .getTerminationGracePeriodSeconds()).isEqualTo(35L + 30 + 10 + 5 * 2);
    }

    @Test
    void theOldSeparateGraceSettingIsRefusedSoItCannotDisagree() {
        assertThat(ChartRendering.templateFailure(Map.of("ingest.terminationGracePeriodSeconds", 30)))
                .contains("terminationGracePeriodSeconds");
        assertThat(ChartRendering.templateFailure(Map.of("ingest.drain.timeoutSeconds", 1))).contains("timeoutSeconds");
    }

    @ParameterizedTest
    @EnumSource(ValuesSet.class)
    void drainsGoOneReplicaAtATime(ValuesSet values) {
        PodDisruptionBudget pdb = ChartRendering.render(values).named(PodDisruptionBudget.class, "athanor-ingest");

        assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    }
}
