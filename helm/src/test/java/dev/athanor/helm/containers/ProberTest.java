package dev.athanor.helm.containers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The kubelet's probing as the container run emulates it, against a local HTTP server standing in for a container. */
class ProberTest {

    private final List<String> log = new CopyOnWriteArrayList<>();
    private final AtomicReference<HttpServer> server = new AtomicReference<>();
    private final int port = HostServices.freePort();

    @AfterEach
    void stop() {
        if (server.get() != null) {
            server.get().stop(0);
        }
    }

    private void serve(int status) {
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
            http.createContext("/", exchange -> {
                exchange.sendResponseHeaders(status, -1);
                exchange.close();
            });
            http.start();
            server.set(http);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Container container() {
        return new ContainerBuilder().withName("c")
                .withNewStartupProbe().withNewHttpGet().withPath("/started").withNewPort(port).endHttpGet()
                .withPeriodSeconds(1).withFailureThreshold(30).endStartupProbe()
                .withNewReadinessProbe().withNewHttpGet().withPath("/ready").withNewPort(port).endHttpGet()
                .withPeriodSeconds(1).withFailureThreshold(3).endReadinessProbe()
                .withNewLivenessProbe().withNewHttpGet().withPath("/live").withNewPort(port).endHttpGet()
                .withPeriodSeconds(1).withFailureThreshold(3).endLivenessProbe()
                .build();
    }

    @Test
    void aContainerThatExitsBeforeItWasReadyIsRestartedAndThenGoesReady() throws Exception {
        AtomicInteger restarts = new AtomicInteger();
        try (Prober prober = new Prober(log::add, 0)) {
            prober.watch(new Prober.Target("pod/c", "127.0.0.1", container(),
                    () -> server.get() == null ? "exited 1\nno database yet" : null,
                    () -> {
                        restarts.incrementAndGet();
                        serve(200);
                    }));
            prober.awaitReady(Duration.ofSeconds(60));
            assertThat(restarts).hasValue(1);
            assertThat(prober.readiness()).singleElement().asString().contains("(1 restart(s))");
            assertThat(prober.failures()).isEmpty();
            assertThat(log).anyMatch(l -> l.contains("restarting in 0 s as the kubelet would (restart 1)")
                    && l.contains("no database yet"));
        }
    }

    @Test
    void aContainerThatKeepsExitingFailsAfterThreeRestarts() {
        AtomicInteger restarts = new AtomicInteger();
        try (Prober prober = new Prober(log::add, 0)) {
            prober.watch(new Prober.Target("pod/c", "127.0.0.1", container(), () -> "exited 1", restarts::incrementAndGet));
            assertThatThrownBy(() -> prober.awaitReady(Duration.ofSeconds(60)))
                    .hasMessageContaining("exited 4 times before it was ever ready");
            assertThat(restarts).hasValue(Prober.RESTARTS_BEFORE_READY);
        }
    }

    @Test
    void aFailingLivenessProbeAfterReadinessIsAFailure() throws Exception {
        serve(200);
        try (Prober prober = new Prober(log::add, 0)) {
            prober.watch(new Prober.Target("pod/c", "127.0.0.1", container(), () -> null, () -> { }));
            prober.awaitReady(Duration.ofSeconds(30));
            server.get().stop(0);
            serve(503);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (prober.failures().size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(prober.failures()).anyMatch(f -> f.contains("liveness probe failed 3 times"))
                    .anyMatch(f -> f.contains("readiness probe failed 3 times after being ready"));
        }
    }
}
