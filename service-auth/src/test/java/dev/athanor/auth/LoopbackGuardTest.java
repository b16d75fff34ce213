package dev.athanor.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoopbackGuardTest {

    @Test
    void authOffOnLoopbackStarts() {
        assertThat(LoopbackGuard.problem(false, Map.of("quarkus.http.host", "127.0.0.1",
                "quarkus.grpc.server.host", "::1"))).isEmpty();
        assertThat(LoopbackGuard.problem(false, Map.of("quarkus.http.host", "localhost"))).isEmpty();
        assertThat(LoopbackGuard.problem(false, Map.of("quarkus.http.host", "[::1]"))).isEmpty();
    }

    @Test
    void authOffOnAnyOtherAddressIsRefusedNamingTheSettingAndTheFix() {
        Map<String, String> binds = new LinkedHashMap<>();
        binds.put("quarkus.http.host", "127.0.0.1");
        binds.put("quarkus.grpc.server.host", "0.0.0.0");
        assertThat(LoopbackGuard.problem(false, binds)).hasValueSatisfying(message -> assertThat(message)
                .contains("quarkus.grpc.server.host=0.0.0.0")
                .doesNotContain("quarkus.http.host=")
                .contains("ATHANOR_AUTH_ENABLED=true")
                .contains("127.0.0.1"));
        assertThat(LoopbackGuard.problem(false, Map.of("quarkus.http.host", "::"))).isPresent();
        assertThat(LoopbackGuard.problem(false, Map.of("quarkus.http.host", ""))).isPresent();
        assertThat(LoopbackGuard.problem(false, Map.of("quarkus.http.host", "192.168.1.4"))).isPresent();
    }

    @Test
    void authOnMayBindAnywhere() {
        assertThat(LoopbackGuard.problem(true, Map.of("quarkus.http.host", "0.0.0.0"))).isEmpty();
    }
}
