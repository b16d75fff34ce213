package dev.athanor.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuthStartupCheckTest {

    private static SmallRyeConfig config(Map<String, String> values) {
        return new SmallRyeConfigBuilder().withSources(new PropertiesConfigSource(values, "test", 100)).build();
    }

    private static AuthSettings settings(boolean enabled) {
        return new AuthSettings(enabled, Optional.empty(), Optional.of("https://kc.example/realms/athanor"),
                Optional.of(List.of("athanor-api")));
    }

    @Test
    void everyListenerIsChecked() {
        assertThat(AuthStartupCheck.listeners(config(Map.of("quarkus.http.host", "127.0.0.1",
                "quarkus.grpc.server.port", "9090", "quarkus.grpc.server.host", "10.0.0.5",
                "quarkus.management.enabled", "true"))))
                .containsEntry("quarkus.http.host", "127.0.0.1")
                .containsEntry("quarkus.grpc.server.host", "10.0.0.5")
                .containsEntry("quarkus.management.host", "0.0.0.0");
        // gRPC served by the HTTP server has no listener of its own.
        assertThat(AuthStartupCheck.listeners(config(Map.of("quarkus.http.host", "127.0.0.1",
                "quarkus.grpc.server.port", "9090", "quarkus.grpc.server.use-separate-server", "false"))))
                .containsOnlyKeys("quarkus.http.host");
    }

    @Test
    void authOffOnAPublicAddressStopsTheStartWithTheFix() {
        AuthStartupCheck check = new AuthStartupCheck();
        assertThatThrownBy(() -> check.onStart(null, settings(false), config(Map.of("quarkus.http.host", "0.0.0.0"))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("quarkus.http.host=0.0.0.0")
                .hasMessageContaining("ATHANOR_AUTH_ENABLED=true");
        assertThatCode(() -> check.onStart(null, settings(false), config(Map.of("quarkus.http.host", "127.0.0.1"))))
                .doesNotThrowAnyException();
        assertThatCode(() -> check.onStart(null, settings(true), config(Map.of("quarkus.http.host", "0.0.0.0"))))
                .doesNotThrowAnyException();
    }
}
