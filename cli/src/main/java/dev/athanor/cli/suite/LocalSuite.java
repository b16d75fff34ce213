package dev.athanor.cli.suite;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole suite on one machine: embedded PostgreSQL, query-service (which migrates the schema)
 * and ingest-service as child processes, everything bound to 127.0.0.1, with auth off unless the
 * settings turn it on ({@link Settings#withAuth(String)}). Used by {@code athanor up} and by the
 * end-to-end tests.
 */
public final class LocalSuite implements AutoCloseable {

    /**
     * Where things live and which ports they use.
     *
     * @param serviceEnvironment more environment variables for both services (e.g. auth settings)
     */
    public record Settings(Path home, Path repo, Path javaHome, int postgresPort, int queryPort,
                           int ingestHttpPort, int grpcPort, Duration startTimeout,
                           Map<String, String> serviceEnvironment) {

        public Settings {
            serviceEnvironment = Map.copyOf(serviceEnvironment);
        }

        public Settings(Path home, Path repo, Path javaHome, int postgresPort, int queryPort,
                        int ingestHttpPort, int grpcPort, Duration startTimeout) {
            this(home, repo, javaHome, postgresPort, queryPort, ingestHttpPort, grpcPort, startTimeout, Map.of());
        }

        /**
         * The same settings with auth on in both services: bearer tokens of {@code issuer} (a
         * Keycloak realm's URL) are verified and project roles enforced.
         */
        public Settings withAuth(String issuer) {
            Map<String, String> env = new LinkedHashMap<>(serviceEnvironment);
            env.put("ATHANOR_AUTH_ENABLED", "true");
            env.put("QUARKUS_OIDC_AUTH_SERVER_URL", issuer);
            return new Settings(home, repo, javaHome, postgresPort, queryPort, ingestHttpPort, grpcPort, startTimeout, env);
        }

        public Path hotRoot() {
            return home.resolve("hot");
        }

        public Path logs() {
            return home.resolve("logs");
        }
    }

    private final Settings settings;
    private final Map<String, String> extraEnvironment;
    private final List<AutoCloseable> started = new ArrayList<>();
    private EmbeddedDatabase database;
    private Map<String, String> ingestEnv;
    private ServiceProcess ingest;

    private LocalSuite(Settings settings, Map<String, String> extraEnvironment) {
        this.settings = settings;
        this.extraEnvironment = extraEnvironment;
    }

    /** Starts everything, or stops what was started and throws. */
    public static LocalSuite start(Settings settings, java.util.function.Consumer<String> progress)
            throws IOException, InterruptedException {
        return start(settings, progress, Map.of());
    }

    /** As {@link #start(Settings, java.util.function.Consumer)}, with more environment for both services (an archive store). */
    public static LocalSuite start(Settings settings, java.util.function.Consumer<String> progress,
                                   Map<String, String> extraEnvironment) throws IOException, InterruptedException {
        LocalSuite suite = new LocalSuite(settings, extraEnvironment);
        try {
            suite.startAll(progress);
            return suite;
        } catch (IOException | InterruptedException | RuntimeException e) {
            suite.close();
            throw e;
        }
    }

    private void startAll(java.util.function.Consumer<String> progress) throws IOException, InterruptedException {
        Files.createDirectories(settings.hotRoot());
        progress.accept("starting embedded PostgreSQL (data in " + settings.home().resolve("pg") + ")");
        database = EmbeddedDatabase.start(settings.home().resolve("pg"), settings.postgresPort());
        started.add(database);

        Map<String, String> common = new LinkedHashMap<>();
        common.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        common.put("QUARKUS_DATASOURCE_JDBC_URL", database.jdbcUrl());
        common.put("QUARKUS_DATASOURCE_USERNAME", database.user());
        common.put("QUARKUS_DATASOURCE_PASSWORD", database.password());
        common.putAll(extraEnvironment);
        common.putAll(settings.serviceEnvironment());

        // query-service owns the schema: it migrates before ingest starts writing.
        progress.accept("starting query-service on 127.0.0.1:" + settings.queryPort());
        Map<String, String> queryEnv = new LinkedHashMap<>(common);
        queryEnv.put("ATHANOR_QUERY_RAW_HOT_ROOT", settings.hotRoot().toString());
        ServiceProcess query = ServiceProcess.start("query-service", settings.javaHome(),
                settings.repo().resolve("query-service/target/quarkus-app/quarkus-run.jar"),
                settings.queryPort(), queryEnv, settings.logs());
        started.add(0, query);
        query.awaitReady(settings.startTimeout());

        progress.accept("starting ingest-service (gRPC on 127.0.0.1:" + settings.grpcPort() + ")");
        ingestEnv = new LinkedHashMap<>(common);
        ingestEnv.put("ATHANOR_INGEST_HOT_ROOT", settings.hotRoot().toString());
        ingestEnv.put("QUARKUS_GRPC_SERVER_HOST", "127.0.0.1");
        ingestEnv.put("QUARKUS_GRPC_SERVER_PORT", Integer.toString(settings.grpcPort()));
        startIngest();
    }

    private void startIngest() throws IOException, InterruptedException {
        ingest = ServiceProcess.start("ingest-service", settings.javaHome(),
                settings.repo().resolve("ingest-service/target/quarkus-app/quarkus-run.jar"),
                settings.ingestHttpPort(), ingestEnv, settings.logs());
        started.add(0, ingest);
        ingest.awaitReady(settings.startTimeout());
    }

    /**
     * Kills ingest-service without letting it drain (SIGKILL, as an OOM kill or a node loss does)
     * and starts it again on the same ports and hot root; for fault tests of the whole path.
     */
    public void crashAndRestartIngest() throws IOException, InterruptedException {
        killIngest();
        startIngest();
    }

    /** Kills ingest-service without letting it drain (SIGKILL) and leaves it down. */
    public void killIngest() throws InterruptedException {
        started.remove(ingest);
        ingest.kill();
    }

    public Settings settings() {
        return settings;
    }

    public String jdbcUrl() {
        return database.jdbcUrl();
    }

    /** The datasource settings the services are started with (for one more service process). */
    public Map<String, String> databaseEnvironment() {
        return Map.of("QUARKUS_DATASOURCE_JDBC_URL", database.jdbcUrl(), "QUARKUS_DATASOURCE_USERNAME", database.user(),
                "QUARKUS_DATASOURCE_PASSWORD", database.password());
    }

    public String restBase() {
        return "http://127.0.0.1:" + settings.queryPort() + "/api/v1";
    }

    public String grpcEndpoint() {
        return "127.0.0.1:" + settings.grpcPort();
    }

    /** Stops ingest first (it drains), then query, then PostgreSQL. */
    @Override
    public void close() {
        for (AutoCloseable each : started) {
            try {
                each.close();
            } catch (Exception e) {
                System.err.println("athanor: while stopping: " + e.getMessage());
            }
        }
        started.clear();
    }
}
