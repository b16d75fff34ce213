package dev.athanor.testing.keycloak;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A real Keycloak for tests: the distribution from Maven Central started with {@code kc.sh start-dev}
 * on loopback, an in-memory database, the given realm files imported, and free ports for HTTP and
 * the management interface (health). One instance per test class is the intended use:
 *
 * <pre>{@code
 * try (KeycloakServer keycloak = KeycloakServer.start(AthanorRealm.file())) {
 *     TokenResponse t = keycloak.tokens().clientCredentials("uploader-demo", "uploader-demo-dev-secret");
 * }
 * }</pre>
 *
 * <p>Keycloak runs on the JDK of the calling JVM ({@code java.home}, which must be 21 or newer).
 * {@link #close()} stops {@code kc.sh} and the JVM it started as a child. Instances sharing one
 * unpacked distribution take turns (a file lock), because the import directory lives inside it.
 */
public final class KeycloakServer implements AutoCloseable {

    /** System property: how long to wait for readiness (ISO-8601 duration or seconds). */
    public static final String START_TIMEOUT_PROPERTY = "athanor.keycloak.start-timeout";
    private static final Duration POLL = Duration.ofMillis(250);
    private static final int LOG_TAIL_LINES = 60;

    private final Process process;
    private final String host;
    private final int httpPort;
    private final int managementPort;
    private final List<String> realms;
    private final Path logFile;
    private final Duration startupTime;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final HttpClient http;
    private final Thread shutdownHook;
    private boolean closed;

    private KeycloakServer(Process process, String host, int httpPort, int managementPort, List<String> realms,
                           Path logFile, Duration startupTime, FileChannel lockChannel, FileLock lock, HttpClient http) {
        this.process = process;
        this.host = host;
        this.httpPort = httpPort;
        this.managementPort = managementPort;
        this.realms = List.copyOf(realms);
        this.logFile = logFile;
        this.startupTime = startupTime;
        this.lockChannel = lockChannel;
        this.lock = lock;
        this.http = http;
        this.shutdownHook = new Thread(() -> ProcessTree.stop(process.toHandle(), Duration.ofSeconds(10)),
                "keycloak-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts Keycloak with these realm files imported and the default options. */
    public static KeycloakServer start(Path... realmFiles) {
        return start(Options.defaults().realmFiles(realmFiles));
    }

    /** Starts Keycloak and returns once it is ready and every imported realm answers. */
    public static KeycloakServer start(Options options) {
        if (options.realmFiles.isEmpty()) {
            throw new IllegalArgumentException("at least one realm file to import is needed");
        }
        int javaVersion = Runtime.version().feature();
        if (javaVersion < 21) {
            throw new IllegalStateException("Keycloak " + KeycloakDistribution.resolved().version()
                    + " needs a JDK 21 or newer; this JVM (" + System.getProperty("java.home") + ") is " + javaVersion);
        }
        List<String> realms = new ArrayList<>();
        for (Path file : options.realmFiles) {
            realms.add(realmName(file));
        }
        KeycloakDistribution distribution = KeycloakDistribution.resolved();
        Path home = distribution.unpacked();

        FileChannel channel = null;
        FileLock lock = null;
        Process process = null;
        try {
            channel = FileChannel.open(home.resolve(".athanor-running.lock"),
                    StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = channel.tryLock();
            if (lock == null) {
                System.err.println("[keycloak] another test process is using " + home + "; waiting for it to stop");
                lock = channel.lock();
            }
            Path importDir = home.resolve("data/import");
            KeycloakDistribution.deleteRecursively(importDir);
            Files.createDirectories(importDir);
            for (int i = 0; i < options.realmFiles.size(); i++) {
                Files.copy(options.realmFiles.get(i), importDir.resolve(realms.get(i) + "-realm.json"));
            }

            int httpPort = freePort();
            int managementPort = freePort();
            while (managementPort == httpPort) {
                managementPort = freePort();
            }
            Path logFile = options.logFile != null ? options.logFile
                    : Path.of(System.getProperty("user.dir"), "target", "keycloak-" + httpPort + ".log");
            Files.createDirectories(logFile.toAbsolutePath().getParent());

            List<String> command = new ArrayList<>(List.of(
                    "bash", home.resolve("bin/kc.sh").toString(), "start-dev",
                    "--db=dev-mem",
                    "--http-host=" + (options.host.equals("127.0.0.1") ? "127.0.0.1" : "0.0.0.0"),
                    "--http-port=" + httpPort,
                    "--http-management-port=" + managementPort,
                    // A fixed issuer, whatever host name a client uses to reach the server.
                    "--hostname=http://" + options.host + ":" + httpPort,
                    "--health-enabled=true",
                    "--import-realm"));
            command.addAll(options.extraArguments);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(logFile.toFile());
            Map<String, String> env = builder.environment();
            // The caller's environment must not reconfigure Keycloak (KC_DB, JAVA_OPTS, ...).
            env.keySet().removeIf(k -> k.startsWith("KC_") || k.startsWith("KEYCLOAK_") || k.startsWith("JAVA_OPTS"));
            env.put("JAVA_HOME", System.getProperty("java.home"));
            env.put("JAVA_OPTS_KC_HEAP", options.heap);

            long started = System.nanoTime();
            process = builder.start();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            awaitReady(process, http, managementPort, httpPort, realms, options.startTimeout, logFile);
            Duration startupTime = Duration.ofNanos(System.nanoTime() - started);
            return new KeycloakServer(process, options.host, httpPort, managementPort, realms, logFile, startupTime,
                    channel, lock, http);
        } catch (IOException | RuntimeException e) {
            if (process != null) {
                ProcessTree.stop(process.toHandle(), Duration.ofSeconds(10));
            }
            release(lock, channel);
            if (e instanceof IOException io) {
                throw new UncheckedIOException("cannot start Keycloak from " + home, io);
            }
            throw (RuntimeException) e;
        }
    }

    /** {@code http://127.0.0.1:<port>} (or the host of {@link Options#host}): where the realms are served. */
    public String baseUrl() {
        return "http://" + host + ":" + httpPort;
    }

    /** {@code http://127.0.0.1:<port>/realms/<realm>}: the {@code iss} of the realm's tokens. */
    public String issuer(String realm) {
        return baseUrl() + "/realms/" + realm;
    }

    /** The issuer of the first imported realm. */
    public String issuer() {
        return issuer(realms.get(0));
    }

    /** A token client for the first imported realm. */
    public TokenClient tokens() {
        return tokens(realms.get(0));
    }

    public TokenClient tokens(String realm) {
        return new TokenClient(http, issuer(realm));
    }

    public int httpPort() {
        return httpPort;
    }

    public int managementPort() {
        return managementPort;
    }

    /** From launching {@code kc.sh} until health was ready and every realm answered. */
    public Duration startupTime() {
        return startupTime;
    }

    /** Keycloak's console output. */
    public Path logFile() {
        return logFile;
    }

    /** The process id of {@code kc.sh} (Keycloak's JVM is its child). */
    public long pid() {
        return process.pid();
    }

    /** Stops Keycloak and its JVM, and lets the next instance use the distribution. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            ProcessTree.stop(process.toHandle(), Duration.ofSeconds(30));
        } finally {
            release(lock, lockChannel);
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running or has run; nothing to undo
            }
        }
    }

    private static void awaitReady(Process process, HttpClient http, int managementPort, int httpPort,
                                   List<String> realms, Duration timeout, Path logFile) {
        long deadline = System.nanoTime() + timeout.toNanos();
        URI health = URI.create("http://127.0.0.1:" + managementPort + "/health/ready");
        List<URI> discovery = realms.stream()
                .map(r -> URI.create("http://127.0.0.1:" + httpPort + "/realms/" + r + "/.well-known/openid-configuration"))
                .toList();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with code " + process.exitValue()
                        + " before it was ready; its log (" + logFile + ") ends with:\n" + tail(logFile));
            }
            if (answers200(http, health) && discovery.stream().allMatch(u -> answers200(http, u))) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Keycloak was not ready within " + timeout + " (" + health
                        + ", realms " + realms + "); raise -D" + START_TIMEOUT_PROPERTY + " on a slow machine."
                        + " Its log (" + logFile + ") ends with:\n" + tail(logFile));
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Keycloak", e);
            }
        }
    }

    private static boolean answers200(HttpClient http, URI uri) {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String realmName(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("realm file not found: " + file);
        }
        try {
            var node = new ObjectMapper().readTree(file.toFile()).get("realm");
            if (node == null || !node.isTextual() || node.asText().isBlank()) {
                throw new IllegalArgumentException("realm file " + file + " has no \"realm\" name");
            }
            return node.asText();
        } catch (IOException e) {
            throw new IllegalArgumentException("realm file " + file + " is not readable JSON: " + e.getMessage(), e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path logFile) {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException e) {
            return "(log not readable: " + e.getMessage() + ")";
        }
    }

    private static void release(FileLock lock, FileChannel channel) {
        try {
            if (lock != null && lock.isValid()) {
                lock.release();
            }
            if (channel != null) {
                channel.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot release the Keycloak distribution lock", e);
        }
    }

    /** How to start Keycloak. Immutable; each method returns a changed copy. */
    public static final class Options {
        private final List<Path> realmFiles;
        private final Duration startTimeout;
        private final String heap;
        private final Path logFile;
        private final List<String> extraArguments;
        private final String host;

        private Options(List<Path> realmFiles, Duration startTimeout, String heap, Path logFile,
                        List<String> extraArguments, String host) {
            this.realmFiles = List.copyOf(realmFiles);
            this.startTimeout = Objects.requireNonNull(startTimeout);
            this.heap = Objects.requireNonNull(heap);
            this.logFile = logFile;
            this.extraArguments = List.copyOf(extraArguments);
            this.host = Objects.requireNonNull(host);
        }

        /**
         * No realm yet; readiness timeout 5 minutes (or {@value #START_TIMEOUT_PROPERTY}), heap
         * {@code -Xms64m -Xmx512m}, log in {@code target/keycloak-<port>.log}.
         */
        public static Options defaults() {
            return new Options(List.of(), startTimeoutFromProperty(), "-Xms64m -Xmx512m", null, List.of(), "127.0.0.1");
        }

        public Options realmFiles(Path... files) {
            return new Options(List.of(files), startTimeout, heap, logFile, extraArguments, host);
        }

        public Options startTimeout(Duration timeout) {
            return new Options(realmFiles, timeout, heap, logFile, extraArguments, host);
        }

        /** JVM heap flags for Keycloak ({@code JAVA_OPTS_KC_HEAP}). */
        public Options heap(String flags) {
            return new Options(realmFiles, startTimeout, flags, logFile, extraArguments, host);
        }

        public Options logFile(Path file) {
            return new Options(realmFiles, startTimeout, heap, file, extraArguments, host);
        }

        /**
         * Serve on every address and issue tokens as {@code http://<host>:<port>} (default: loopback
         * only, {@code 127.0.0.1}), for clients that reach this machine by another address, e.g.
         * containers on a bridge network whose gateway is {@code host}.
         */
        public Options host(String host) {
            return new Options(realmFiles, startTimeout, heap, logFile, extraArguments, host);
        }

        /** More {@code kc.sh start-dev} options, e.g. {@code --log-level=DEBUG}. */
        public Options extraArguments(String... arguments) {
            return new Options(realmFiles, startTimeout, heap, logFile, List.of(arguments), host);
        }

        private static Duration startTimeoutFromProperty() {
            String value = System.getProperty(START_TIMEOUT_PROPERTY);
            if (value == null || value.isBlank()) {
                return Duration.ofMinutes(5);
            }
            try {
                return value.startsWith("P") || value.startsWith("p")
                        ? Duration.parse(value) : Duration.ofSeconds(Long.parseLong(value.trim()));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(START_TIMEOUT_PROPERTY + "=" + value
                        + " is neither an ISO-8601 duration (PT3M) nor a number of seconds", e);
            }
        }
    }
}
