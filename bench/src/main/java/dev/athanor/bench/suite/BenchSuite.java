package dev.athanor.bench.suite;

import dev.athanor.suite.LocalSuite;
import dev.athanor.suite.Ports;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The local suite as {@code athanor up} runs it (suite-launcher's {@link LocalSuite}: embedded
 * PostgreSQL, query-service migrating the schema, then the ingest replicas, everything on 127.0.0.1),
 * started afresh in a scratch directory on free ports. What the benchmarks add: query-service's
 * access log with the service's own response time in microseconds, settings for the ingest
 * replicas, and the addresses and process ids they read.
 */
final class BenchSuite implements AutoCloseable {

    private final LocalSuite suite;

    private BenchSuite(LocalSuite suite) {
        this.suite = suite;
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
        ScalarRunFiles.deleteTree(home); // a fresh database and hot root every time
        LocalSuite.Settings settings = new LocalSuite.Settings(home, repo, Path.of(System.getProperty("java.home")),
                Ports.free(), Ports.free(), Ports.free(), Ports.freeRun(replicas), Ports.freeRun(replicas), startTimeout,
                Map.of(), replicas)
                .withQueryEnvironment(QueryAccessLog.environment(home.resolve("logs")))
                .withIngestEnvironment(ingestSettings);
        return new BenchSuite(LocalSuite.start(settings, step -> { }));
    }

    Path hotRoot() {
        return suite.settings().hotRoot();
    }

    Path logs() {
        return suite.settings().logs();
    }

    Path queryAccessLog() {
        return QueryAccessLog.file(logs());
    }

    String jdbcUrl() {
        return suite.jdbcUrl();
    }

    /** Replica 0's gRPC address. */
    String grpcEndpoint() {
        return suite.grpcEndpoint();
    }

    String grpcEndpoint(int replica) {
        return suite.grpcEndpoint(replica);
    }

    /** Every replica's gRPC address, comma-separated in replica order (the uploader's endpoint list). */
    String grpcEndpoints() {
        return String.join(",", suite.grpcEndpoints());
    }

    int ingestReplicas() {
        return suite.settings().ingestReplicas();
    }

    String queryBase() {
        return "http://127.0.0.1:" + suite.settings().queryPort();
    }

    /** Replica 0's Prometheus endpoint. */
    String ingestMetricsUrl() {
        return ingestMetricsUrl(0);
    }

    String ingestMetricsUrl(int replica) {
        return "http://127.0.0.1:" + suite.settings().ingestHttpPort(replica) + "/q/metrics";
    }

    List<String> ingestMetricsUrls() {
        List<String> all = new ArrayList<>();
        for (int i = 0; i < ingestReplicas(); i++) {
            all.add(ingestMetricsUrl(i));
        }
        return all;
    }

    /** Replica 0's pid. */
    long ingestPid() {
        return suite.ingestPid(0);
    }

    List<Long> ingestPids() {
        List<Long> all = new ArrayList<>();
        for (int i = 0; i < ingestReplicas(); i++) {
            all.add(suite.ingestPid(i));
        }
        return all;
    }

    OptionalLong postmasterPid() {
        return suite.postmasterPid();
    }

    /** Stops ingest first (the replicas drain together), then query, then PostgreSQL. */
    @Override
    public void close() {
        suite.close();
    }
}
