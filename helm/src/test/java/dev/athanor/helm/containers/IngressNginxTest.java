package dev.athanor.helm.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.helm.render.ChartRendering;
import dev.athanor.helm.render.Manifests;
import dev.athanor.helm.render.ValuesSet;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rendered Ingress becomes the nginx routing the container run serves the UI's address with. */
class IngressNginxTest {

    @Test
    void theRenderedIngressRoutesApiToTheQueryPodAndTheRestToTheWebUiPodAtTheirTargetPorts() {
        Manifests manifests = ChartRendering.render(ValuesSet.DEFAULT, Map.of("ingress.host", "localhost",
                "ingress.tls.enabled", false, "query.service.port", 80));

        String conf = IngressNginx.configuration(manifests.named(Ingress.class, "athanor"), services(manifests),
                backends(manifests), 18080, Path.of("/tmp/ingress"));

        assertThat(conf).contains("server_name localhost;")
                // Prefix /api matches /api and /api/..., not /apix; the Service port 80 targets the pod's "http", 8080.
                .contains("location = /api { proxy_pass http://10.0.0.11:8080; }")
                .contains("location /api/ { proxy_pass http://10.0.0.11:8080; }")
                .contains("location /q/openapi/ { proxy_pass http://10.0.0.11:8080; }")
                .contains("location / { proxy_pass http://10.0.0.12:8080; }")
                // The chart's ingress-nginx annotations.
                .contains("client_max_body_size 16m;").contains("proxy_read_timeout 600s;")
                .contains("listen 127.0.0.1:18080 default_server;\n        return 404;");
        assertThat(conf).doesNotContain("location /api {");
    }

    @Test
    void anIngressAskingForTlsIsRefusedRatherThanServedWithout() {
        Manifests manifests = ChartRendering.render(ValuesSet.DEFAULT, Map.of("ingress.host", "localhost"));

        assertThatThrownBy(() -> IngressNginx.configuration(manifests.named(Ingress.class, "athanor"), services(manifests),
                backends(manifests), 18080, Path.of("/tmp/ingress")))
                .hasMessageContaining("asks for TLS, which is not emulated");
    }

    private static Map<String, Service> services(Manifests manifests) {
        return PodTranslation.index(manifests.all(Service.class), s -> s.getMetadata().getName());
    }

    private static Map<String, IngressNginx.Backend> backends(Manifests manifests) {
        return Map.of(
                "athanor-query", new IngressNginx.Backend("10.0.0.11",
                        manifests.named(Deployment.class, "athanor-query").getSpec().getTemplate().getSpec()),
                "athanor-web-ui", new IngressNginx.Backend("10.0.0.12",
                        manifests.named(Deployment.class, "athanor-web-ui").getSpec().getTemplate().getSpec()));
    }
}
