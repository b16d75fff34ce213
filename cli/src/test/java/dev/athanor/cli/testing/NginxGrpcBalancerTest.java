package dev.athanor.cli.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** The harness itself: a missing nginx skips locally and fails on CI; the configuration it writes. */
class NginxGrpcBalancerTest {

    @Test
    void withoutNginxATestIsSkippedLocallyAndFailsOnCi() {
        assertThatThrownBy(() -> NginxGrpcBalancer.requireBinary(Map.of(), Optional.empty()))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("apt-get install -y nginx");
        assertThatThrownBy(() -> NginxGrpcBalancer.requireBinary(Map.of("CI", "true"), Optional.empty()))
                .isInstanceOf(AssertionError.class).hasMessageContaining("must not be skipped on CI");
        assertThat(NginxGrpcBalancer.requireBinary(Map.of("CI", "true"), Optional.of(Path.of("/usr/sbin/nginx"))))
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
