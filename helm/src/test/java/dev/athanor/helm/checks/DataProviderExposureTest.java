package dev.athanor.helm.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.helm.render.ChartRendering;
import dev.athanor.helm.render.Manifests;
import dev.athanor.helm.render.ValuesSet;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * query-service's TensorBoard data-provider gRPC port (what `athanor tensorboard` connects to):
 * the service listens where the chart tells it to, and the container and the Service expose that
 * same port, as h2c like ingest's gRPC.
 */
class DataProviderExposureTest {

    @ParameterizedTest
    @EnumSource(ValuesSet.class)
    void theQueryServiceExposesTheDataProviderPortAsH2c(ValuesSet values) {
        assertExposedOn(ChartRendering.render(values), 9190);
    }

    @Test
    void anotherPortMovesTheListenerTheContainerPortAndTheServiceTogether() {
        assertExposedOn(ChartRendering.render(ValuesSet.DEFAULT, Map.of("query.dataProviderPort", 9290)), 9290);
    }

    private static void assertExposedOn(Manifests manifests, int port) {
        assertThat(manifests.named(ConfigMap.class, "athanor-query").getData())
                .containsEntry("ATHANOR_QUERY_DATA_PROVIDER_PORT", Integer.toString(port));

        ContainerPort container = manifests.named(Deployment.class, "athanor-query").getSpec().getTemplate().getSpec()
                .getContainers().getFirst().getPorts().stream().filter(p -> "data-provider".equals(p.getName()))
                .findFirst().orElseThrow();
        assertThat(container.getContainerPort()).isEqualTo(port);

        ServicePort service = manifests.named(Service.class, "athanor-query").getSpec().getPorts().stream()
                .filter(p -> "data-provider".equals(p.getName())).findFirst().orElseThrow();
        assertThat(service.getPort()).isEqualTo(port);
        assertThat(service.getTargetPort().getStrVal()).isEqualTo("data-provider");
        assertThat(service.getAppProtocol()).isEqualTo("kubernetes.io/h2c");
    }
}
