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
 * is recorded as what it is on a cluster: a restart. A container that exits before it was ever
 * ready is restarted as the kubelet restarts it (restartPolicy Always, back-off 10 s, 20 s, 40 s),
 * at most {@value #RESTARTS_BEFORE_READY} times, and says so; one that exits after it was ready is a
 * failure. Every transition is logged.
 */
final class Prober implements AutoCloseable {

    /**
     * A container to probe at its pod's address; {@code exited} says why it stopped, or null while
     * it runs; {@code restart} starts it again.
     */
    record Target(String name, String podIp, Container container, Supplier<String> exited, Runnable restart) {
    }

    /** Restarts allowed before a container's first readiness (a boot on a starved machine); none after. */
    static final int RESTARTS_BEFORE_READY = 3;

    private final Consumer<String> log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final List<Watch> watches = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private volatile long origin;
    private final int backOffSeconds;
    private volatile boolean closed;

    Prober(Consumer<String> log) {
        this(log, 10);
    }

    /** With the first restart's back-off in seconds (doubling after each), e.g. 0 in tests. */
    Prober(Consumer<String> log, int backOffSeconds) {
        this.log = log;
        this.backOffSeconds = backOffSeconds;
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

    /** When each container first became ready, in seconds since the first container started, and its restarts. */
    List<String> readiness() {
        return watches.stream().map(w -> w.target.name() + " ready after " + w.readyAfter + " s"
                + (w.restarts > 0 ? " (" + w.restarts + " restart(s))" : "")).toList();
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
        volatile int restarts;

        Watch(Target target) {
            this.target = target;
        }

        void run() {
            try {
                while (!closed && !startUp()) {
                    String exited = target.exited().get();
                    if (restarts >= RESTARTS_BEFORE_READY) {
                        fail("exited " + (restarts + 1) + " times before it was ever ready; last: " + exited);
                        return;
                    }
                    int backOff = backOffSeconds << restarts;
                    restarts++;
                    log.accept(seconds() + " s " + target.name() + ": exited before it was ready ("
                            + exited.lines().findFirst().orElse("") + "); restarting in " + backOff
                            + " s as the kubelet would (restart " + restarts + "); its last lines:\n"
                            + tail(exited, 15));
                    sleepSeconds(backOff);
                    target.restart().run();
                }
                steady();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** The startup probe until it passes (true), or the container exits (false). */
        private boolean startUp() throws InterruptedException {
            Container c = target.container();
            Probe startup = c.getStartupProbe();
            if (startup == null) {
                return target.exited().get() == null;
            }
            sleepSeconds(orDefault(startup.getInitialDelaySeconds(), 0));
            int failed = 0;
            while (!closed) {
                String outcome = check(startup);
                if (outcome == null) {
                    log.accept(seconds() + " s " + target.name() + ": startup probe passed");
                    return true;
                }
                if (target.exited().get() != null) {
                    return false;
                }
                if (++failed >= orDefault(startup.getFailureThreshold(), 3)) {
                    fail("startup probe failed " + failed + " times (" + outcome + "); the kubelet would restart it");
                    closed = true;
                    return true;
                }
                sleepSeconds(orDefault(startup.getPeriodSeconds(), 10));
            }
            return true;
        }

        /** Readiness and liveness on their periods; exiting now is a failure. */
        private void steady() throws InterruptedException {
            Container c = target.container();
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
                    } else if (target.exited().get() != null) {
                        fail("exited" + (ready ? " after it was ready: " : ": ") + tail(target.exited().get(), 15));
                        return;
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

    private static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static int orDefault(Integer value, int fallback) {
        return value == null ? fallback : value;
    }
}
