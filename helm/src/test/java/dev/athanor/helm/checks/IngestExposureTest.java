package dev.athanor.helm.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.helm.render.ChartRendering;
import dev.athanor.helm.render.Manifests;
import dev.athanor.helm.render.ValuesSet;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Uploaders reach ingest over gRPC; browsers reach the UI and the REST API over HTTP. */
class IngestExposureTest {

    @ParameterizedTest
    @EnumSource(ValuesSet.class)
    void theIngestServiceExposesGrpcAsH2c(ValuesSet values) {
        Service service = ChartRendering.render(values).named(Service.class, "athanor-ingest");

        ServicePort grpc = service.getSpec().getPorts().stream().filter(p -> p.getName().equals("grpc")).findFirst().orElseThrow();
        assertThat(grpc.getPort()).isEqualTo(9090);
        assertThat(grpc.getTargetPort().getStrVal()).isEqualTo("grpc");
        assertThat(grpc.getAppProtocol()).isEqualTo("kubernetes.io/h2c");
        assertThat(service.getSpec().getSessionAffinity()).isEqualTo("ClientIP");
    }

    @ParameterizedTest
    @EnumSource(ValuesSet.class)
    void theIngressSendsApiAndOpenApiToQueryAndTheRestToTheUi(ValuesSet values) {
        Ingress http = ChartRendering.render(values).named(Ingress.class, "athanor");

        Map<String, String> routes = http.getSpec().getRules().getFirst().getHttp().getPaths().stream()
                .collect(Collectors.toMap(HTTPIngressPath::getPath, p -> p.getBackend().getService().getName()
                        + ":" + p.getBackend().getService().getPort().getName()));
        assertThat(routes).containsExactlyInAnyOrderEntriesOf(Map.of(
                "/api", "athanor-query:http", "/q/openapi", "athanor-query:http", "/", "athanor-web-ui:http"));
    }

    @ParameterizedTest
    @EnumSource(value = ValuesSet.class, names = {"DEFAULT", "GCP", "LOCAL"})
    void ingressNginxProxiesIngestAsGrpcWithoutBodyLimitsOnLongStreams(ValuesSet values) {
        Manifests manifests = ChartRendering.render(values);
        Ingress grpc = manifests.named(Ingress.class, "athanor-ingest");

        assertThat(grpc.getSpec().getIngressClassName()).isEqualTo("nginx");
        assertThat(grpc.getMetadata().getAnnotations())
                .containsEntry("nginx.ingress.kubernetes.io/backend-protocol", "GRPC")
                .containsEntry("nginx.ingress.kubernetes.io/proxy-body-size", "0")
                .containsEntry("nginx.ingress.kubernetes.io/proxy-read-timeout", "3600");
        assertThat(backendPort(grpc)).isEqualTo("athanor-ingest:grpc");
        assertThat(manifests.named(Ingress.class, "athanor").getMetadata().getAnnotations())
                .doesNotContainKey("nginx.ingress.kubernetes.io/backend-protocol");
    }

    @ParameterizedTest
    @EnumSource(value = ValuesSet.class, names = "AWS")
    void theAlbProxiesIngestAsGrpcOnTheSameLoadBalancer(ValuesSet values) {
        Manifests manifests = ChartRendering.render(values);
        Ingress grpc = manifests.named(Ingress.class, "athanor-ingest");
        Ingress http = manifests.named(Ingress.class, "athanor");

        assertThat(grpc.getMetadata().getAnnotations())
                .containsEntry("alb.ingress.kubernetes.io/backend-protocol-version", "GRPC")
                .containsEntry("alb.ingress.kubernetes.io/target-type", "ip")
                .containsEntry("alb.ingress.kubernetes.io/success-codes", "0-99")
                .containsEntry("alb.ingress.kubernetes.io/listen-ports", "[{\"HTTPS\":443}]")
                .containsEntry("alb.ingress.kubernetes.io/scheme", "internet-facing");
        assertThat(http.getMetadata().getAnnotations()).doesNotContainKey("alb.ingress.kubernetes.io/backend-protocol-version")
                .containsEntry("alb.ingress.kubernetes.io/group.name",
                        grpc.getMetadata().getAnnotations().get("alb.ingress.kubernetes.io/group.name"));
        assertThat(manifests.named(Service.class, "athanor-query").getMetadata().getAnnotations())
                .containsEntry("alb.ingress.kubernetes.io/healthcheck-path", "/q/health/ready");
        assertThat(grpc.getSpec().getTls().getFirst().getHosts()).containsExactly("ingest.athanor.example.com");
        assertThat(grpc.getSpec().getTls().getFirst().getSecretName()).as("ACM certificate, no Secret").isNull();
    }

    private static String backendPort(Ingress ingress) {
        var backend = ingress.getSpec().getRules().getFirst().getHttp().getPaths().getFirst().getBackend().getService();
        return backend.getName() + ":" + backend.getPort().getName();
    }
}
