package dev.athanor.bench.suite;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The local suite as {@code athanor up} runs it (cli's {@code LocalSuite}: embedded PostgreSQL 17
 * with zonky's defaults, query-service migrating the schema, then ingest-service; the same
 * environment variables, {@code -Xmx1g}, everything on 127.0.0.1), started afresh in a scratch
 * directory. Kept here rather than depending on the cli module so that building the benchmarks
 * does not build the CLI; this copy additionally exposes the child processes (for /proc) and
 * turns on query-service's access log with the service's own response time in microseconds.
 *
 * <p>With N &gt; 1 ingest replicas (as {@code athanor up --ingest-replicas N}), replica i has its own
 * hot root ({@code <home>/hot} for replica 0, which query-service reads; {@code
 * <home>/hot-replicas/ingest-<i>} for the others), node name ({@code ingest-<i>}, replica 0 keeps the
 * host name), HTTP and gRPC ports and advertised address, all sharing the one PostgreSQL.
 */
final class BenchSuite implements AutoCloseable {

    /** Access-log pattern: response time in µs, status, request line. */
    static final String ACCESS_LOG_PATTERN = "%{RESPONSE_TIME_MICROS} %s %r";

    private final Path home;
    private final List<AutoCloseable> started = new ArrayList<>();
    private EmbeddedPostgres postgres;
    private Process query;
    private final int replicas;
    private final List<Process> ingest = new ArrayList<>();
    private int queryPort;
    private final List<Integer> ingestHttpPorts = new ArrayList<>();
    private final List<Integer> grpcPorts = new ArrayList<>();
    /** Added to every ingest replica's environment (settings a benchmark varies). */
    private final Map<String, String> ingestSettings;

    private BenchSuite(Path home, int replicas, Map<String, String> ingestSettings) {
        this.home = home;
        this.replicas = replicas;
        this.ingestSettings = ingestSettings;
    }

    static BenchSuite start(Path home, Path repo, Duration startTimeout) throws IOException, InterruptedException {
        return start(home, repo, startTimeout, 1);
    }

    /** The suite with {@code replicas} ingest-service processes (at least 1). */
    static BenchSuite start(Path home, Path repo, Duration startTimeout, int replicas)
            throws IOException, InterruptedException {
        return start(home, repo, startTimeout, replicas, Map.of());
    }

    /** ... with {@code ingestSettings} (environment variables) added to every ingest replica's. */
    static BenchSuite start(Path home, Path repo, Duration startTimeout, int replicas, Map<String, String> ingestSettings)
            throws IOException, InterruptedException {
        if (replicas < 1) {
            throw new IllegalArgumentException("ingest replicas must be at least 1, got " + replicas);
        }
        BenchSuite suite = new BenchSuite(home, replicas, ingestSettings);
        try {
            suite.startAll(repo, startTimeout);
            return suite;
        } catch (IOException | InterruptedException | RuntimeException e) {
            suite.close();
            throw e;
        }
    }

    private void startAll(Path repo, Duration startTimeout) throws IOException, InterruptedException {
        ScalarRunFiles.deleteTree(home);
        Files.createDirectories(hotRoot());
        Files.createDirectories(logs());
        postgres = EmbeddedPostgres.builder()
                .setDataDirectory(home.resolve("pg"))
                .setCleanDataDirectory(true)
                .start();
        started.add(postgres);
        queryPort = freePort();
        for (int i = 0; i < replicas; i++) {
            ingestHttpPorts.add(freePort());
            grpcPorts.add(freePort());
        }

        Map<String, String> common = new LinkedHashMap<>();
        common.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        common.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl());
        common.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        common.put("QUARKUS_DATASOURCE_PASSWORD", "postgres");

        Map<String, String> queryEnv = new LinkedHashMap<>(common);
        queryEnv.put("ATHANOR_QUERY_RAW_HOT_ROOT", hotRoot().toString());
        // Any free port: the bench does not use the data provider, and 9190 may be a running suite's.
        queryEnv.put("ATHANOR_QUERY_DATA_PROVIDER_PORT", "0");
        queryEnv.put("QUARKUS_HTTP_ACCESS_LOG_ENABLED", "true");
        queryEnv.put("QUARKUS_HTTP_RECORD_REQUEST_START_TIME", "true"); // the access log's response time needs it
        queryEnv.put("QUARKUS_HTTP_ACCESS_LOG_PATTERN", ACCESS_LOG_PATTERN);
        queryEnv.put("QUARKUS_HTTP_ACCESS_LOG_LOG_TO_FILE", "true");
        queryEnv.put("QUARKUS_HTTP_ACCESS_LOG_LOG_DIRECTORY", logs().toString());
        queryEnv.put("QUARKUS_HTTP_ACCESS_LOG_BASE_FILE_NAME", "query-access");
        query = startService("query-service", repo.resolve("query-service/target/quarkus-app/quarkus-run.jar"),
                queryPort, queryEnv);
        awaitReady("query-service", query, queryPort, startTimeout);

        // All replicas start together (they coordinate through PostgreSQL), then each must be ready.
        for (int i = 0; i < replicas; i++) {
            Files.createDirectories(ingestHotRoot(i));
            ingest.add(startService(ingestName(i), repo.resolve("ingest-service/target/quarkus-app/quarkus-run.jar"),
                    ingestHttpPorts.get(i), ingestEnvironment(common, i)));
        }
        for (int i = 0; i < replicas; i++) {
            awaitReady(ingestName(i), ingest.get(i), ingestHttpPorts.get(i), startTimeout);
        }
    }

    /** As cli's LocalSuite: replica i's own hot root, node name, ports and the address its peers reach it at. */
    private Map<String, String> ingestEnvironment(Map<String, String> common, int replica) {
        Map<String, String> env = new LinkedHashMap<>(common);
        env.put("ATHANOR_INGEST_HOT_ROOT", ingestHotRoot(replica).toString());
        if (replica > 0) {
            env.put("ATHANOR_INGEST_NODE_NAME", "ingest-" + replica);
        }
        env.put("QUARKUS_GRPC_SERVER_HOST", "127.0.0.1");
        env.put("QUARKUS_GRPC_SERVER_PORT", Integer.toString(grpcPorts.get(replica)));
        env.put("ATHANOR_INGEST_OWNERSHIP_ADVERTISED_ADDRESS", grpcEndpoint(replica));
        env.putAll(ingestSettings);
        return env;
    }

    private static String ingestName(int replica) {
        return replica == 0 ? "ingest-service" : "ingest-service-" + replica;
    }

    private Path ingestHotRoot(int replica) {
        return replica == 0 ? hotRoot() : home.resolve("hot-replicas").resolve("ingest-" + replica);
    }

    private Process startService(String name, Path jar, int httpPort, Map<String, String> env) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException(name + ": " + jar + " does not exist; build it with ./mvnw -pl " + name
                    + " -am package -DskipTests");
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx1g");
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.add("-jar");
        command.add(jar.toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs().resolve(name + ".log").toFile()));
        builder.environment().putAll(env);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
        Process process = builder.start();
        started.add(0, () -> stop(process));
        return process;
    }

    private void awaitReady(String name, Process process, int httpPort, Duration timeout)
            throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException(name + " exited with code " + process.exitValue() + " while starting; see "
                        + logs().resolve(name + ".log"));
            }
            try {
                if (client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IOException(name + " was not ready within " + timeout.toSeconds() + " s; see "
                + logs().resolve(name + ".log"));
    }

    private static void stop(Process process) throws InterruptedException {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    Path hotRoot() {
        return home.resolve("hot");
    }

    Path logs() {
        return home.resolve("logs");
    }

    Path queryAccessLog() {
        return logs().resolve("query-access.log");
    }

    String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    /** Replica 0's gRPC address. */
    String grpcEndpoint() {
        return grpcEndpoint(0);
    }

    String grpcEndpoint(int replica) {
        return "127.0.0.1:" + grpcPorts.get(replica);
    }

    /** Every replica's gRPC address, comma-separated in replica order (the uploader's endpoint list). */
    String grpcEndpoints() {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            all.add(grpcEndpoint(i));
        }
        return String.join(",", all);
    }

    int ingestReplicas() {
        return replicas;
    }

    String queryBase() {
        return "http://127.0.0.1:" + queryPort;
    }

    /** Replica 0's Prometheus endpoint. */
    String ingestMetricsUrl() {
        return ingestMetricsUrl(0);
    }

    String ingestMetricsUrl(int replica) {
        return "http://127.0.0.1:" + ingestHttpPorts.get(replica) + "/q/metrics";
    }

    List<String> ingestMetricsUrls() {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            all.add(ingestMetricsUrl(i));
        }
        return all;
    }

    /** Replica 0's pid. */
    long ingestPid() {
        return ingest.get(0).pid();
    }

    List<Long> ingestPids() {
        return ingest.stream().map(Process::pid).toList();
    }

    /** The postmaster's pid, from postmaster.pid in the data directory (its first line). */
    OptionalLong postmasterPid() {
        try {
            String first = Files.readAllLines(home.resolve("pg").resolve("postmaster.pid")).get(0).trim();
            return OptionalLong.of(Long.parseLong(first));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** Stops ingest first (the replicas drain, last started first), then query, then PostgreSQL. */
    @Override
    public void close() {
        for (AutoCloseable each : started) {
            try {
                each.close();
            } catch (Exception e) {
                System.err.println("bench: while stopping the suite: " + e.getMessage());
            }
        }
        started.clear();
    }
}
