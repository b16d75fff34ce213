package dev.athanor.suite;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Athanor service (a Quarkus fast-jar) run as a child process of the local suite, with its
 * output in a log file and readiness read from its health endpoint.
 */
public final class ServiceProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;
    private final int httpPort;

    private ServiceProcess(String name, Process process, Path log, int httpPort) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.httpPort = httpPort;
    }

    /**
     * Starts {@code java -jar quarkus-run.jar} with {@code environment} added to this process'
     * environment.
     */
    public static ServiceProcess start(String name, Path javaHome, Path quarkusRunJar, int httpPort,
            Map<String, String> environment, Path logDirectory) throws IOException {
        return start(name, javaHome, quarkusRunJar, httpPort, environment, logDirectory, List.of());
    }

    /**
     * As {@link #start(String, Path, Path, int, Map, Path)}, with {@code launcher} run first and
     * java as its command (e.g. {@code prlimit --nofile=1024:1024 --}, for a test under a low
     * open-file limit).
     */
    public static ServiceProcess start(String name, Path javaHome, Path quarkusRunJar, int httpPort,
            Map<String, String> environment, Path logDirectory, List<String> launcher) throws IOException {
        return start(name, javaHome, quarkusRunJar, httpPort, environment, logDirectory,
                Jvm.DEFAULT.withLauncher(launcher));
    }

    /** As {@link #start(String, Path, Path, int, Map, Path)}, with the JVM started as {@code jvm} says. */
    public static ServiceProcess start(String name, Path javaHome, Path quarkusRunJar, int httpPort,
            Map<String, String> environment, Path logDirectory, Jvm jvm) throws IOException {
        if (!Files.isRegularFile(quarkusRunJar)) {
            throw new IOException(name + ": " + quarkusRunJar + " does not exist; build it with "
                    + "./mvnw -pl " + moduleOf(quarkusRunJar, name) + " -am package -DskipTests");
        }
        Files.createDirectories(logDirectory);
        Path log = logDirectory.resolve(name + ".log");
        List<String> command = new ArrayList<>(jvm.launcher());
        command.add(javaHome.resolve("bin/java").toString());
        command.add("-Xmx" + jvm.maxHeap());
        if (Runtime.version().feature() >= 24) {
            // protobuf-java reads memory through sun.misc.Unsafe; newer JDKs warn on every start.
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.add("-jar");
        command.add(quarkusRunJar.toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(environment);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
        return new ServiceProcess(name, builder.start(), log, httpPort);
    }

    /**
     * How a service's JVM is started.
     *
     * @param launcher run first, with java as its command (empty: java itself)
     * @param maxHeap  the {@code -Xmx} value, e.g. {@code 1g}
     */
    public record Jvm(List<String> launcher, String maxHeap) {

        /** As {@code athanor up} runs every service: java itself, 1 GiB of heap at most. */
        public static final Jvm DEFAULT = new Jvm(List.of(), "1g");

        public Jvm {
            launcher = List.copyOf(launcher);
            if (!maxHeap.matches("[0-9]+[kKmMgG]?")) {
                throw new IllegalArgumentException("a maximum heap is a size such as 512m or 1g, got '" + maxHeap + "'");
            }
        }

        public Jvm withLauncher(List<String> command) {
            return new Jvm(command, maxHeap);
        }

        public Jvm withMaxHeap(String size) {
            return new Jvm(launcher, size);
        }
    }

    /** The module a {@code <module>/target/quarkus-app/quarkus-run.jar} is built by (the name when not that shape). */
    private static String moduleOf(Path quarkusRunJar, String name) {
        Path module = quarkusRunJar;
        for (int up = 0; up < 3 && module != null; up++) {
            module = module.getParent();
        }
        return module == null || module.getFileName() == null ? name : module.getFileName().toString();
    }

    /** Waits until /q/health/ready answers 200, the process dies, or the timeout passes. */
    public void awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create(httpBase() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with code " + process.exitValue()
                        + " while starting; see " + log);
            }
            try {
                if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(250);
        }
        throw new IOException(name + " was not ready within " + timeout.toSeconds() + " s; see " + log);
    }

    public String name() {
        return name;
    }

    public int httpPort() {
        return httpPort;
    }

    /** The service's HTTP root on loopback, {@code http://127.0.0.1:PORT}. */
    public String httpBase() {
        return "http://127.0.0.1:" + httpPort;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hooks, no draining; waits until the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(15, TimeUnit.SECONDS);
    }

    /** SIGTERM without waiting: the service starts its orderly shutdown (several can drain at once). */
    public void terminate() {
        process.destroy();
    }

    /**
     * SIGTERM, then waits up to {@code timeout} for the orderly shutdown to end.
     *
     * @return the exit code
     * @throws IOException when it had not exited by then (it is then killed)
     */
    public int stop(Duration timeout) throws IOException, InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
            throw new IOException(name + " had not stopped " + timeout.toSeconds() + " s after SIGTERM and was killed; see "
                    + log);
        }
        return process.exitValue();
    }

    /** SIGTERM, then a forced kill if the service has not stopped within 15 s. */
    @Override
    public void close() throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }
}
