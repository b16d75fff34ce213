package dev.athanor.helm.containers;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The kubelet's probes of the rendered containers, polled as it polls them: the startup probe
 * first (initialDelaySeconds, then every periodSeconds until failureThreshold failures, each with
 * timeoutSeconds), then readiness and liveness on their own periods. A container is ready after
 * its readiness probe passed; a startup or liveness probe failing failureThreshold times in a row
 * is recorded as what it is on a cluster: a restart. Every transition is logged.
 */
final class Prober implements AutoCloseable {

    /** A container to probe at its pod's address; {@code exited} says why it stopped, or null while it runs. */
    record Target(String name, String podIp, Container container, Supplier<String> exited) {
    }

    private final Consumer<String> log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final List<Watch> watches = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private volatile long origin;
    private volatile boolean closed;

    Prober(Consumer<String> log) {
        this.log = log;
    }

    void watch(Target target) {
        if (watches.isEmpty()) {
            origin = System.nanoTime();
        }
        Watch watch = new Watch(target);
        watches.add(watch);
        Thread thread = new Thread(watch::run, "probe-" + target.name());
        thread.setDaemon(true);
        thread.start();
    }

    /** Waits until every watched container is ready; fails at once when one would be restarted or has exited. */
    void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!failures.isEmpty()) {
                throw new AssertionError("probes failed: " + failures);
            }
            for (Watch watch : watches) {
                String exited = watch.target.exited().get();
                if (exited != null) {
                    throw new AssertionError(watch.target.name() + " exited before it was ready: " + exited);
                }
            }
            if (watches.stream().allMatch(w -> w.ready)) {
                return;
            }
            Thread.sleep(500);
        }
        List<String> waiting = watches.stream().filter(w -> !w.ready).map(w -> w.target.name()).toList();
        throw new AssertionError("not ready within " + timeout.toSeconds() + " s: " + waiting);
    }

    /** Restarts the kubelet would have made, and containers that went unready after being ready. */
    List<String> failures() {
        return Collections.unmodifiableList(new ArrayList<>(failures));
    }

    /** When each container first became ready, in seconds since the first container started. */
    List<String> readiness() {
        return watches.stream().map(w -> w.target.name() + " ready after " + w.readyAfter + " s").toList();
    }

    @Override
    public void close() {
        closed = true;
    }

    private String seconds() {
        return String.format("%.1f", (System.nanoTime() - origin) / 1e9);
    }

    private final class Watch {
        final Target target;
        volatile boolean ready;
        volatile String readyAfter = "never";

        Watch(Target target) {
            this.target = target;
        }

        void run() {
            try {
                Container c = target.container();
                Probe startup = c.getStartupProbe();
                if (startup != null) {
                    sleepSeconds(orDefault(startup.getInitialDelaySeconds(), 0));
                    int failed = 0;
                    while (!closed) {
                        String outcome = check(startup);
                        if (outcome == null) {
                            log.accept(seconds() + " s " + target.name() + ": startup probe passed");
                            break;
                        }
                        if (++failed >= orDefault(startup.getFailureThreshold(), 3)) {
                            fail("startup probe failed " + failed + " times (" + outcome + "); the kubelet would restart it");
                            return;
                        }
                        sleepSeconds(orDefault(startup.getPeriodSeconds(), 10));
                    }
                }
                Probe readiness = c.getReadinessProbe();
                Probe liveness = c.getLivenessProbe();
                long nextReadiness = System.nanoTime();
                long nextLiveness = System.nanoTime();
                int readinessFailures = 0;
                int livenessFailures = 0;
                if (readiness == null) {
                    markReady();
                }
                while (!closed) {
                    long now = System.nanoTime();
                    if (readiness != null && now >= nextReadiness) {
                        String outcome = check(readiness);
                        if (outcome == null) {
                            readinessFailures = 0;
                            if (!ready) {
                                markReady();
                            }
                        } else if (++readinessFailures >= orDefault(readiness.getFailureThreshold(), 3) && ready) {
                            ready = false;
                            fail("readiness probe failed " + readinessFailures + " times after being ready (" + outcome + ")");
                        }
                        nextReadiness = now + Duration.ofSeconds(orDefault(readiness.getPeriodSeconds(), 10)).toNanos();
                    }
                    if (liveness != null && now >= nextLiveness) {
                        String outcome = check(liveness);
                        if (outcome == null) {
                            livenessFailures = 0;
                        } else if (++livenessFailures >= orDefault(liveness.getFailureThreshold(), 3)) {
                            fail("liveness probe failed " + livenessFailures + " times (" + outcome + "); the kubelet would restart it");
                            return;
                        }
                        nextLiveness = now + Duration.ofSeconds(orDefault(liveness.getPeriodSeconds(), 10)).toNanos();
                    }
                    long next = Math.min(readiness == null ? Long.MAX_VALUE : nextReadiness,
                            liveness == null ? Long.MAX_VALUE : nextLiveness);
                    Thread.sleep(Math.max(50, Math.min(1000, (next - System.nanoTime()) / 1_000_000)));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void markReady() {
            ready = true;
            readyAfter = seconds();
            log.accept(seconds() + " s " + target.name() + ": ready (readiness probe passed)");
        }

        private void fail(String what) {
            failures.add(target.name() + ": " + what);
            log.accept(seconds() + " s " + target.name() + ": " + what);
        }

        /** Null when the probe passes, else why it failed. */
        private String check(Probe probe) {
            int timeout = orDefault(probe.getTimeoutSeconds(), 1);
            try {
                if (probe.getHttpGet() != null) {
                    int port = port(probe.getHttpGet().getPort());
                    String scheme = Objects.requireNonNullElse(probe.getHttpGet().getScheme(), "HTTP").toLowerCase();
                    URI uri = URI.create(scheme + "://" + target.podIp() + ":" + port + probe.getHttpGet().getPath());
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(timeout))
                            .header("User-Agent", "kube-probe/1.31").GET().build(), HttpResponse.BodyHandlers.ofString());
                    return response.statusCode() >= 200 && response.statusCode() < 400 ? null
                            : "GET " + uri.getPath() + " answered " + response.statusCode();
                }
                if (probe.getTcpSocket() != null) {
                    try (Socket socket = new Socket()) {
                        socket.connect(new InetSocketAddress(target.podIp(), port(probe.getTcpSocket().getPort())), timeout * 1000);
                        return null;
                    }
                }
                throw new IllegalStateException(target.name() + ": only httpGet and tcpSocket probes are emulated");
            } catch (IOException e) {
                return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }

        private int port(IntOrString port) {
            if (port.getIntVal() != null) {
                return port.getIntVal();
            }
            for (ContainerPort declared : target.container().getPorts()) {
                if (port.getStrVal().equals(declared.getName())) {
                    return declared.getContainerPort();
                }
            }
            throw new IllegalStateException(target.name() + " has no port named " + port.getStrVal());
        }

        private void sleepSeconds(int seconds) throws InterruptedException {
            Thread.sleep(seconds * 1000L);
        }
    }

    private static int orDefault(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}
