package dev.athanor.helm.checks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.helm.render.ChartRendering;
import dev.athanor.helm.render.Manifests;
import dev.athanor.helm.render.ValuesSet;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The chart renders to typed Kubernetes objects for every values set it ships. */
class RenderedManifestsTest {

    @ParameterizedTest
    @EnumSource(ValuesSet.class)
    void rendersEveryWorkloadOfTheSuite(ValuesSet values) throws IOException {
        String rendered = ChartRendering.template(values, Map.of());
        // Kept for people reading the build output: target/rendered/<values>.yaml.
        Path out = Path.of("target/rendered/" + values.name().toLowerCase() + ".yaml");
        Files.createDirectories(out.getParent());
        Files.writeString(out, rendered);

        Manifests manifests = Manifests.parse(rendered);

        assertThat(manifests.all(StatefulSet.class)).extracting(o -> o.getMetadata().getName()).containsExactly("athanor-ingest");
        assertThat(manifests.all(Deployment.class)).extracting(o -> o.getMetadata().getName())
                .containsExactlyInAnyOrder("athanor-query", "athanor-web-ui");
        assertThat(manifests.all(Service.class)).extracting(o -> o.getMetadata().getName())
                .containsExactlyInAnyOrder("athanor-ingest", "athanor-ingest-headless", "athanor-archive", "athanor-query", "athanor-web-ui");
        assertThat(manifests.all(Ingress.class)).extracting(o -> o.getMetadata().getName())
                .containsExactlyInAnyOrder("athanor", "athanor-ingest");
        assertThat(manifests.all(ConfigMap.class)).extracting(o -> o.getMetadata().getName())
                .containsExactlyInAnyOrder("athanor-common", "athanor-ingest", "athanor-archive", "athanor-store", "athanor-query",
                        "athanor-web-ui");
        assertThat(manifests.all(ServiceAccount.class)).extracting(o -> o.getMetadata().getName())
                .containsExactlyInAnyOrder("athanor-ingest", "athanor-query", "athanor-web-ui");
        assertThat(manifests.all()).allSatisfy(o -> assertThat(o.getMetadata().getLabels())
                .as("%s labels", o.getKind()).containsEntry("app.kubernetes.io/instance", "athanor")
                .containsEntry("app.kubernetes.io/part-of", "athanor"));
    }

    @Test
    void everyPodTemplateSelectsItsOwnLabels() {
        Manifests manifests = ChartRendering.render(ValuesSet.DEFAULT);

        for (HasMetadata workload : manifests.all()) {
            Map<String, String> selector;
            Map<String, String> podLabels;
            if (workload instanceof Deployment d) {
                selector = d.getSpec().getSelector().getMatchLabels();
                podLabels = d.getSpec().getTemplate().getMetadata().getLabels();
            } else if (workload instanceof StatefulSet s) {
                selector = s.getSpec().getSelector().getMatchLabels();
                podLabels = s.getSpec().getTemplate().getMetadata().getLabels();
            } else {
                continue;
            }
            assertThat(podLabels).as(workload.getMetadata().getName()).containsAllEntriesOf(selector);
        }
    }

    @Test
    void aMisspeltFieldIsNotSilentlyDropped() {
        String misspelt = """
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  containers:
                    - name: c
                      image: i
                      readinesProbe: {httpGet: {path: /, port: 80}}
                """;

        assertThatThrownBy(() -> Manifests.parse(misspelt)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("Pod/p").hasMessageContaining("readinesProbe");
    }
}
