package dev.athanor.helm.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.helm.render.ChartRendering;
import dev.athanor.helm.render.Manifests;
import dev.athanor.helm.render.ValuesSet;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every container is probed, sized and locked down, with every values set the chart ships. */
class WorkloadSecurityTest {

    @ParameterizedTest
    @EnumSource(ValuesSet.class)
    void everyContainerHasStartupLivenessAndReadinessProbes(ValuesSet values) {
        Map<String, Container> containers = ChartRendering.render(values).containers();

        assertThat(containers).isNotEmpty();
        containers.forEach((name, c) -> {
            for (Probe probe : new Probe[] {c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe()}) {
                assertThat(probe).as("%s probes", name).isNotNull();
                assertThat(probe.getHttpGet()).as("%s probes are HTTP health checks", name).isNotNull();
            }
        });
    }

    @ParameterizedTest
    @EnumSource(ValuesSet.class)
    void containersAreProbedOnTheirHealthEndpoints(ValuesSet values) {
        Map<String, Container> containers = ChartRendering.render(values).containers();

        containers.entrySet().stream().filter(e -> !e.getKey().contains("web-ui")).forEach(e -> {
            Container c = e.getValue();
            assertThat(c.getStartupProbe().getHttpGet().getPath()).as(e.getKey()).isEqualTo("/q/health/started");
            assertThat(c.getLivenessProbe().getHttpGet().getPath()).as(e.getKey()).isEqualTo("/q/health/live");
        });
        assertThat(containers.get("StatefulSet/athanor-ingest/ingest").getReadinessProbe().getHttpGet().getPath())
                .isEqualTo("/q/health/ready");
        assertThat(containers.get("Deployment/athanor-query/query").getReadinessProbe().getHttpGet().getPath())
                .isEqualTo("/q/health/ready");
        Container ui = containers.get("Deployment/athanor-web-ui/web-ui");
        assertThat(new Probe[] {ui.getStartupProbe(), ui.getLivenessProbe(), ui.getReadinessProbe()})
                .allSatisfy(p -> assertThat(p.getHttpGet().getPath()).isEqualTo("/healthz"));
    }

    @ParameterizedTest
    @EnumSource(ValuesSet.class)
    void everyContainerRequestsCpuAndMemoryAndLimitsMemory(ValuesSet values) {
        ChartRendering.render(values).containers().forEach((name, c) -> {
            assertThat(c.getResources()).as(name).isNotNull();
            assertThat(c.getResources().getRequests()).as("%s requests", name).containsKeys("cpu", "memory");
            assertThat(c.getResources().getLimits()).as("%s limits", name).containsKey("memory");
        });
    }

    @ParameterizedTest
    @EnumSource(ValuesSet.class)
    void everyContainerRunsAsNonRootOnAReadOnlyRootWithoutCapabilities(ValuesSet values) {
        Manifests manifests = ChartRendering.render(values);

        manifests.containers().forEach((name, c) -> {
            SecurityContext sc = c.getSecurityContext();
            assertThat(sc).as(name).isNotNull();
            assertThat(sc.getRunAsNonRoot()).as("%s runAsNonRoot", name).isTrue();
            assertThat(sc.getRunAsUser()).as("%s runAsUser", name).isNotNull().isPositive();
            assertThat(sc.getReadOnlyRootFilesystem()).as("%s readOnlyRootFilesystem", name).isTrue();
            assertThat(sc.getAllowPrivilegeEscalation()).as("%s allowPrivilegeEscalation", name).isFalse();
            assertThat(sc.getPrivileged()).as("%s privileged", name).isFalse();
            assertThat(sc.getCapabilities().getDrop()).as("%s drops", name).containsExactly("ALL");
            assertThat(sc.getCapabilities().getAdd()).as("%s adds", name).isEmpty();
        });
        manifests.podSpecs().forEach((name, spec) -> {
            assertThat(spec.getSecurityContext().getRunAsNonRoot()).as("%s pod runAsNonRoot", name).isTrue();
            assertThat(spec.getSecurityContext().getSeccompProfile().getType()).as(name).isEqualTo("RuntimeDefault");
            assertThat(spec.getHostNetwork()).as(name).isNotEqualTo(Boolean.TRUE);
        });
    }

    @ParameterizedTest
    @EnumSource(ValuesSet.class)
    void aReadOnlyRootStillLeavesTmpWritable(ValuesSet values) {
        Manifests manifests = ChartRendering.render(values);

        manifests.podSpecs().forEach((workload, spec) -> spec.getContainers().forEach(c -> {
            var tmp = c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals("/tmp")).findFirst();
            assertThat(tmp).as("%s/%s mounts /tmp", workload, c.getName()).isPresent();
            Volume volume = volume(spec, tmp.get().getName());
            assertThat(volume.getEmptyDir()).as("%s /tmp is an emptyDir", workload).isNotNull();
        }));
    }

    private static Volume volume(PodSpec spec, String name) {
        return spec.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name));
    }
}
