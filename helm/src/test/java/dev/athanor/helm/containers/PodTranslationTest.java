package dev.athanor.helm.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.helm.render.ChartRendering;
import dev.athanor.helm.render.Manifests;
import dev.athanor.helm.render.ValuesSet;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container run's reading of a rendered pod (no podman needed): the ingest pod's environment,
 * security flags and volumes come out as the kubelet would apply them.
 */
class PodTranslationTest {

    @TempDir
    Path temp;

    private final Manifests manifests = ChartRendering.render(ValuesSet.DEFAULT,
            Map.of("objectStorage.s3.existingSecret", "athanor-s3"));
    private final PodTranslation.Cluster cluster = new PodTranslation.Cluster(
            PodTranslation.index(manifests.all(ConfigMap.class), c -> c.getMetadata().getName()),
            Map.of("athanor-postgresql", Map.of("username", "u", "password", "p"),
                    "athanor-s3", Map.of("access-key-id", "AK", "secret-access-key", "SK")));
    private final StatefulSet ingest = manifests.named(StatefulSet.class, "athanor-ingest");

    private PodTranslation.Pod pod() {
        return new PodTranslation.Pod("athanor-ingest-0", "athanor", ingest.getSpec().getTemplate().getSpec(),
                Map.of("hot", temp.resolve("hot")));
    }

    private Container container(String name) {
        return ingest.getSpec().getTemplate().getSpec().getContainers().stream().filter(c -> c.getName().equals(name))
                .findFirst().orElseThrow();
    }

    @Test
    void theEnvironmentHasTheConfigMapsTheSecretsAndTheDownwardApiInKubeletOrder() {
        Map<String, String> env = PodTranslation.environment(pod(), container("ingest"), cluster);
        assertThat(env).containsEntry("ATHANOR_AUTH_ENABLED", "true")
                .containsEntry("QUARKUS_GRPC_SERVER_PORT", "9090")
                .containsEntry("ATHANOR_ARCHIVE_STORE_KIND", "s3")
                .containsEntry("ATHANOR_INGEST_NODE_NAME", "athanor-ingest-0")
                .containsEntry("ATHANOR_INGEST_OWNERSHIP_ADVERTISED_ADDRESS",
                        "athanor-ingest-0.athanor-ingest-headless.athanor.svc:9090")
                .containsEntry("QUARKUS_DATASOURCE_USERNAME", "u")
                .containsEntry("ATHANOR_ARCHIVE_S3_SECRET_ACCESS_KEY", "SK");
        assertThat(PodTranslation.environment(pod(), container("archive"), cluster))
                .containsEntry("QUARKUS_HTTP_PORT", "8083").containsEntry("ATHANOR_ARCHIVE_HOT_NODE", "athanor-ingest-0");
    }

    @Test
    void aMissingSecretIsAnErrorNamingIt() {
        PodTranslation.Cluster noSecrets = new PodTranslation.Cluster(cluster.configMaps(), Map.of());
        assertThatThrownBy(() -> PodTranslation.environment(pod(), container("ingest"), noSecrets))
                .hasMessageContaining("Secret athanor-postgresql");
    }

    @Test
    void referencesExpandOnlyToVariablesDefinedBefore() {
        assertThat(PodTranslation.expand("$(A).x:$(B)/$$(A)", Map.of("A", "a"))).isEqualTo("a.x:$(B)/$(A)");
    }

    @Test
    void theIngestContainersRunConfinedWithTheirVolumesShared() throws Exception {
        PodTranslation.Pod pod = pod();
        Map<String, Path> volumes = PodTranslation.prepareVolumes(pod, cluster, temp.resolve("pod"));
        assertThat(volumes).containsKeys("tmp", "hot");
        assertThat(Files.getPosixFilePermissions(volumes.get("tmp"))).hasSize(9);
        List<String> ingestArgs = PodTranslation.runArguments(pod, container("ingest"),
                new PodTranslation.Placement("net", "10.0.0.10", null, Map.of("athanor-ingest.athanor.svc", "10.0.0.10")),
                volumes, temp.resolve("ingest.env"), "t", true);
        assertThat(String.join(" ", ingestArgs))
                .contains("--user 185:185", "--group-add 185", "--read-only --read-only-tmpfs=false",
                        "--security-opt no-new-privileges", "--cap-drop=all", "--network net --ip 10.0.0.10",
                        "--add-host athanor-ingest.athanor.svc:10.0.0.10", "--memory 2147483648",
                        volumes.get("hot") + ":/var/lib/athanor/hot:rw", volumes.get("tmp") + ":/tmp:rw",
                        "--stop-timeout 90", "--name athanor-ingest-0-ingest-t")
                .doesNotContain("--privileged", "seccomp=unconfined");
        assertThat(ingestArgs.get(ingestArgs.size() - 1)).isEqualTo(container("ingest").getImage());
        List<String> archiveArgs = PodTranslation.runArguments(pod, container("archive"),
                new PodTranslation.Placement("net", "10.0.0.10", "athanor-ingest-0-ingest", Map.of()),
                volumes, temp.resolve("archive.env"), "t", true);
        assertThat(String.join(" ", archiveArgs)).contains("--network container:athanor-ingest-0-ingest",
                volumes.get("hot") + ":/var/lib/athanor/hot:rw").doesNotContain("--ip");
    }

    @Test
    void runAsNonRootWithoutAUserIsRefusedAsTheKubeletRefusesIt() {
        assertThatThrownBy(() -> PodTranslation.securityArguments(new PodSecurityContextBuilder().withRunAsNonRoot(true).build(),
                new SecurityContextBuilder().withRunAsUser(0L).build(), "p/c"))
                .hasMessageContaining("runAsNonRoot with runAsUser 0");
    }
}
