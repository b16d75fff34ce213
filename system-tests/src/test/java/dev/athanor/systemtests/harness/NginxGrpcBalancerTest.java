package dev.athanor.systemtests.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.testing.OptionalPart;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** The harness itself: a missing nginx skips unless required (as CI requires it); the configuration it writes. */
class NginxGrpcBalancerTest {

    @Test
    void withoutNginxATestIsSkippedUnlessNginxIsRequired() {
        // Both outcomes of OptionalPart are tested in testing-support; here: this harness goes through it.
        Class<? extends Throwable> expected = OptionalPart.NGINX.isRequired() ? AssertionError.class
                : TestAbortedException.class;
        assertThatThrownBy(() -> NginxGrpcBalancer.requireBinary(Optional.empty()))
                .isInstanceOf(expected).hasMessageContaining("apt-get install -y nginx");
        assertThat(NginxGrpcBalancer.requireBinary(Optional.of(Path.of("/usr/sbin/nginx"))))
                .isEqualTo(Path.of("/usr/sbin/nginx"));
    }

    @Test
    void theConfigurationPassesGrpcToARoundRobinUpstreamAndKeepsEverythingInItsDirectory() {
        String config = NginxGrpcBalancer.config(List.of("127.0.0.1:9090", "127.0.0.1:9091"), 40123, Path.of("/tmp/n"));

        assertThat(config).contains("daemon off;", "pid /tmp/n/nginx.pid;", "error_log /tmp/n/error.log",
                "access_log /tmp/n/access.log calls;", "client_body_temp_path /tmp/n/body;",
                "listen 127.0.0.1:40123 http2;", "grpc_pass grpc://ingest;", "client_max_body_size 0;",
                "server 127.0.0.1:9090;", "server 127.0.0.1:9091;");
        assertThat(config).doesNotContain("least_conn", "hash ", "ip_hash", "user ");
    }
}
