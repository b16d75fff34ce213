package dev.athanor.helm.checks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.helm.render.ChartRendering;
import dev.athanor.helm.render.Manifests;
import dev.athanor.helm.render.ValuesSet;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every service validates Keycloak tokens: auth is on wherever a service listens beyond loopback. */
class AuthWiringTest {

    @ParameterizedTest
    @EnumSource(ValuesSet.class)
    void everyQuarkusContainerListensBeyondLoopbackOnlyWithAuthOn(ValuesSet values) {
        Manifests manifests = ChartRendering.render(values);

        manifests.containers().forEach((name, container) -> {
            if (name.contains("web-ui")) {
                return;
            }
            Map<String, String> env = environment(manifests, container);
            assertThat(env).as(name).containsEntry("QUARKUS_HTTP_HOST", "0.0.0.0").containsEntry("ATHANOR_AUTH_ENABLED", "true")
                    .containsEntry("QUARKUS_OIDC_TOKEN_AUDIENCE", "athanor-api")
                    .containsEntry("QUARKUS_OIDC_ROLES_ROLE_CLAIM_PATH", "athanor_roles");
            assertThat(env.get("QUARKUS_OIDC_AUTH_SERVER_URL")).as(name).matches("https?://.+/realms/athanor");
        });
    }

    @ParameterizedTest
    @EnumSource(ValuesSet.class)
    void theIssuerIsTheOneTheValuesName(ValuesSet values) {
        Manifests manifests = ChartRendering.render(values);

        String expected = values == ValuesSet.LOCAL ? "http://keycloak.localtest.me/realms/athanor" : "https://keycloak.example.com/realms/athanor";
        assertThat(manifests.named(ConfigMap.class, "athanor-common").getData()).containsEntry("QUARKUS_OIDC_AUTH_SERVER_URL", expected);
    }

    @ParameterizedTest
    @EnumSource(value = ValuesSet.class, names = "DEFAULT")
    void queryTellsTheWebUiWhichClientAndIssuerToSignInWith(ValuesSet values) {
        Manifests manifests = ChartRendering.render(values, Map.of(
                "auth.issuerUrl", "http://keycloak.keycloak.svc:8080/realms/athanor",
                "auth.browserIssuerUrl", "https://sso.example.com/realms/athanor"));

        Map<String, String> query = environment(manifests, manifests.containers().get("Deployment/athanor-query/query"));
        assertThat(query).containsEntry("ATHANOR_AUTH_WEB_CLIENT_ID", "athanor-web")
                .containsEntry("ATHANOR_AUTH_WEB_ISSUER", "https://sso.example.com/realms/athanor")
                .containsEntry("QUARKUS_OIDC_AUTH_SERVER_URL", "http://keycloak.keycloak.svc:8080/realms/athanor");
        // The browser's issuer, not the services', is the one the UI's CSP must allow.
        assertThat(manifests.named(ConfigMap.class, "athanor-web-ui").getData())
                .containsEntry("issuer-origin.map", "\"\" \"https://sso.example.com\";\n");
    }

    @ParameterizedTest
    @EnumSource(ValuesSet.class)
    void theWebUiMayCallAndFrameTheIssuerTheBrowserSignsInWith(ValuesSet values) {
        Manifests manifests = ChartRendering.render(values);

        // web-ui/nginx.conf adds this origin to connect-src and frame-src; "https:" alone would refuse an http issuer.
        String expected = values == ValuesSet.LOCAL ? "http://keycloak.localtest.me" : "https://keycloak.example.com";
        assertThat(manifests.named(ConfigMap.class, "athanor-web-ui").getData())
                .containsEntry("issuer-origin.map", "\"\" \"" + expected + "\";\n");
        PodSpec web = manifests.podSpecs().get("Deployment/athanor-web-ui");
        assertThat(web.getVolumes()).anySatisfy(v -> {
            assertThat(v.getName()).isEqualTo("config");
            assertThat(v.getConfigMap().getName()).isEqualTo("athanor-web-ui");
        });
        assertThat(web.getContainers().get(0).getVolumeMounts()).anySatisfy(m -> {
            assertThat(m.getName()).isEqualTo("config");
            assertThat(m.getMountPath()).isEqualTo("/etc/nginx/athanor");
        });
    }

    /** The container's environment as the kubelet assembles it: ConfigMaps first, then env entries with values. */
    private static Map<String, String> environment(Manifests manifests, Container container) {
        Map<String, String> env = new HashMap<>();
        for (EnvFromSource from : container.getEnvFrom()) {
            env.putAll(manifests.named(ConfigMap.class, from.getConfigMapRef().getName()).getData());
        }
        container.getEnv().stream().filter(e -> e.getValue() != null).forEach(e -> env.put(e.getName(), e.getValue()));
        return env;
    }
}
