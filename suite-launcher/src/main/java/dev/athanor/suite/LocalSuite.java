package dev.athanor.suite;

import dev.athanor.rawlog.SegmentNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole suite on one machine: embedded PostgreSQL, query-service (which migrates the schema),
 * ingest-service and — when the settings give it a port ({@link Settings#withArchive(int)}) —
 * archive-service as child processes, everything bound to 127.0.0.1, with auth off unless the
 * settings turn it on ({@link Settings#withAuth(String)}). Used by {@code athanor up}, by the
 * end-to-end tests and by the suite benchmarks (bench/).
 *
 * <p>The archive is a filesystem store under {@code <home>/archive} (unless the environment names
 * another store). As the Helm chart runs one archive container per ingest pod, the suite runs one
 * archive-service per ingest replica, on that replica's hot root and scoped to its node name; a single
 * replica's archive serves every node, so it also purges runs written elsewhere before.
 */
public final class LocalSuite implements AutoCloseable {

    /**
     * Where things live and which ports they use.
     *
     * <p>With {@code ingestReplicas} N &gt; 1, replica i (0-based) listens on {@code ingestHttpPort + i}
     * and gRPC {@code grpcPort + i}; see {@link #ingestHotRoot(int)} and {@link #ingestNodeName(int)}.
     *
     * @param dataProviderPort   query-service's gRPC port for TensorBoard's data-provider protocol
     *                           ({@code athanor tensorboard} talks to it)
     * @param serviceEnvironment more environment variables for both services (e.g. auth settings)
     * @param ingestReplicas     how many ingest-service processes to run (at least 1)
     * @param archiveHttpPort    archive-service's HTTP port beside replica 0 (replica i's: this + i);
     *                           0 starts no archive-service (sealed segments stay hot, purges wait)
     * @param queryEnvironment   more environment variables for query-service only (after the common ones)
     * @param ingestEnvironment  more environment variables for every ingest replica only
     */
    public record Settings(Path home, Path repo, Path javaHome, int postgresPort, int queryPort,
                           int dataProviderPort, int ingestHttpPort, int grpcPort, Duration startTimeout,
                           Map<String, String> serviceEnvironment, int ingestReplicas, int archiveHttpPort,
                           Map<String, String> queryEnvironment, Map<String, String> ingestEnvironment) {

        /** The most replicas {@code athanor up} starts (each is a JVM of up to 1 GiB heap). */
        public static final int MAX_INGEST_REPLICAS = 16;

        public Settings {
            serviceEnvironment = Map.copyOf(serviceEnvironment);
            queryEnvironment = Map.copyOf(queryEnvironment);
            ingestEnvironment = Map.copyOf(ingestEnvironment);
            if (ingestReplicas < 1 || ingestReplicas > MAX_INGEST_REPLICAS) {
                throw new IllegalArgumentException("the number of ingest replicas must be 1-" + MAX_INGEST_REPLICAS
                        + ", got " + ingestReplicas);
            }
            if (archiveHttpPort < 0) {
                throw new IllegalArgumentException("the archive port must be 0 (no archive-service) or a port, got "
                        + archiveHttpPort);
            }
        }

        public Settings(Path home, Path repo, Path javaHome, int postgresPort, int queryPort, int dataProviderPort,
                        int ingestHttpPort, int grpcPort, Duration startTimeout, Map<String, String> serviceEnvironment,
                        int ingestReplicas, int archiveHttpPort) {
            this(home, repo, javaHome, postgresPort, queryPort, dataProviderPort, ingestHttpPort, grpcPort, startTimeout,
                    serviceEnvironment, ingestReplicas, archiveHttpPort, Map.of(), Map.of());
        }

        public Settings(Path home, Path repo, Path javaHome, int postgresPort, int queryPort, int dataProviderPort,
                        int ingestHttpPort, int grpcPort, Duration startTimeout, Map<String, String> serviceEnvironment,
                        int ingestReplicas) {
            this(home, repo, javaHome, postgresPort, queryPort, dataProviderPort, ingestHttpPort, grpcPort, startTimeout,
                    serviceEnvironment, ingestReplicas, 0);
        }

        public Settings(Path home, Path repo, Path javaHome, int postgresPort, int queryPort, int dataProviderPort,
                        int ingestHttpPort, int grpcPort, Duration startTimeout, Map<String, String> serviceEnvironment) {
            this(home, repo, javaHome, postgresPort, queryPort, dataProviderPort, ingestHttpPort, grpcPort, startTimeout,
                    serviceEnvironment, 1);
        }

        public Settings(Path home, Path repo, Path javaHome, int postgresPort, int queryPort, int dataProviderPort,
                        int ingestHttpPort, int grpcPort, Duration startTimeout) {
            this(home, repo, javaHome, postgresPort, queryPort, dataProviderPort, ingestHttpPort, grpcPort, startTimeout,
                    Map.of());
        }

        /**
         * The same settings with auth on in both services: bearer tokens of {@code issuer} (a
         * Keycloak realm's URL) are verified and project roles enforced.
         */
        public Settings withAuth(String issuer) {
            return withEnvironment(Map.of("ATHANOR_AUTH_ENABLED", "true", "QUARKUS_OIDC_AUTH_SERVER_URL", issuer));
        }

        /** The same settings with more environment variables for every service. */
        public Settings withEnvironment(Map<String, String> more) {
            return withEnvironments(plus(serviceEnvironment, more), queryEnvironment, ingestEnvironment);
        }

        /** The same settings with {@code replicas} ingest-service processes. */
        public Settings withIngestReplicas(int replicas) {
            return new Settings(home, repo, javaHome, postgresPort, queryPort, dataProviderPort, ingestHttpPort, grpcPort,
                    startTimeout, serviceEnvironment, replicas, archiveHttpPort, queryEnvironment, ingestEnvironment);
        }

        /** The same settings with an archive-service beside each ingest replica, the first on {@code port}. */
        public Settings withArchive(int port) {
            if (port <= 0) {
                throw new IllegalArgumentException("the archive port must be a port, got " + port);
            }
            return new Settings(home, repo, javaHome, postgresPort, queryPort, dataProviderPort, ingestHttpPort, grpcPort,
                    startTimeout, serviceEnvironment, ingestReplicas, port, queryEnvironment, ingestEnvironment);
        }

        /** The same settings with more environment variables for query-service only (e.g. its access log). */
        public Settings withQueryEnvironment(Map<String, String> more) {
            return withEnvironments(serviceEnvironment, plus(queryEnvironment, more), ingestEnvironment);
        }

        /** The same settings with more environment variables for every ingest replica only (settings a benchmark varies). */
        public Settings withIngestEnvironment(Map<String, String> more) {
            return withEnvironments(serviceEnvironment, queryEnvironment, plus(ingestEnvironment, more));
        }

        private Settings withEnvironments(Map<String, String> service, Map<String, String> query,
                                          Map<String, String> ingest) {
            return new Settings(home, repo, javaHome, postgresPort, queryPort, dataProviderPort, ingestHttpPort, grpcPort,
                    startTimeout, service, ingestReplicas, archiveHttpPort, query, ingest);
        }

        /** {@code base} with {@code more} put over it. */
        private static Map<String, String> plus(Map<String, String> base, Map<String, String> more) {
            Map<String, String> all = new LinkedHashMap<>(base);
            all.putAll(more);
            return all;
        }

        /** Whether the suite runs archive-service. */
        public boolean archive() {
            return archiveHttpPort > 0;
        }

        /** The filesystem archive store's root (a TensorBoard logdir under its prefix, {@code athanor/}). */
        public Path archiveRoot() {
            return home.resolve("archive");
        }

        /** The HTTP port of the archive-service beside replica i. */
        public int archiveHttpPort(int replica) {
            checkReplica(replica);
            if (!archive()) {
                throw new IllegalStateException("the suite runs no archive-service");
            }
            return archiveHttpPort + replica;
        }

        /**
         * The ingest node whose segments the archive-service beside replica i serves: empty (every node)
         * with one replica, else that replica's node name (replica 0's is the host name, as ingest
         * derives it), as the chart sets {@code ATHANOR_ARCHIVE_HOT_NODE} to the pod's name.
         */
        public java.util.Optional<String> archiveNode(int replica) {
            checkReplica(replica);
            if (ingestReplicas == 1) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(ingestNodeName(replica).orElseGet(SegmentNames::defaultNode));
        }

        /** Replica 0's hot root (the only one with a single replica); query-service reads it directly. */
        public Path hotRoot() {
            return home.resolve("hot");
        }

        /**
         * Replica i's hot root: {@code <home>/hot} for replica 0 (where a single-replica suite always
         * kept it, so data written before stays readable), {@code <home>/hot-replicas/ingest-<i>} for
         * the others (outside replica 0's root, whose first level is the project names).
         */
        public Path ingestHotRoot(int replica) {
            checkReplica(replica);
            return replica == 0 ? hotRoot() : home.resolve("hot-replicas").resolve("ingest-" + replica);
        }

        /**
         * Replica i's node name (segment file names, raw_segment.ingest_node, leases): replica 0
         * keeps the service's default, the host name, as before; the others are {@code ingest-<i>}.
         * Empty for replica 0.
         */
        public java.util.Optional<String> ingestNodeName(int replica) {
            checkReplica(replica);
            return replica == 0 ? java.util.Optional.empty() : java.util.Optional.of("ingest-" + replica);
        }

        public int ingestHttpPort(int replica) {
            checkReplica(replica);
            return ingestHttpPort + replica;
        }

        public int grpcPort(int replica) {
            checkReplica(replica);
            return grpcPort + replica;
        }

        /** Every port the suite listens on, with what listens there, in start order. */
        public List<Map.Entry<Integer, String>> ports() {
            List<Map.Entry<Integer, String>> ports = new ArrayList<>();
            ports.add(Map.entry(postgresPort, "PostgreSQL"));
            ports.add(Map.entry(queryPort, "query-service"));
            ports.add(Map.entry(dataProviderPort, "query-service data provider"));
            for (int i = 0; i < ingestReplicas; i++) {
                ports.add(Map.entry(ingestHttpPort(i), "ingest replica " + i + " HTTP"));
                ports.add(Map.entry(grpcPort(i), "ingest replica " + i + " gRPC"));
            }
            for (int i = 0; archive() && i < ingestReplicas; i++) {
                ports.add(Map.entry(archiveHttpPort(i), "archive-service " + i + " HTTP"));
            }
            return ports;
        }

        /** The first two ports that clash (e.g. a replica's HTTP port on the REST port), or null. */
        public String portClash() {
            Map<Integer, String> used = new LinkedHashMap<>();
            for (Map.Entry<Integer, String> port : ports()) {
                String before = used.putIfAbsent(port.getKey(), port.getValue());
                if (before != null) {
                    return port.getValue() + " and " + before + " would both use port " + port.getKey();
                }
            }
            return null;
        }

        public Path logs() {
            return home.resolve("logs");
        }

        private void checkReplica(int replica) {
            if (replica < 0 || replica >= ingestReplicas) {
                throw new IllegalArgumentException("no ingest replica " + replica + " (the suite runs "
                        + ingestReplicas + ")");
            }
        }
    }

    private final Settings settings;
    private final Map<String, String> extraEnvironment;
    private final List<AutoCloseable> started = new ArrayList<>();
    private Map<String, String> queryEnv;
    private ServiceProcess query;
    private EmbeddedDatabase database;
    private Map<String, String> ingestEnv;
    private final List<ServiceProcess> ingest = new ArrayList<>();
    private final List<ServiceProcess> archives = new ArrayList<>();

    /**
     * Stops the suite in order when the JVM exits without {@link #close()} (Ctrl-C, also while
     * starting): PostgreSQL's own exit hook is off, since it would stop the database while the
     * ingest replicas still drain (their leases are released in PostgreSQL).
     */
    private final Thread stopOnExit = new Thread(this::close, "athanor-local-suite-stop");

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
        Runtime.getRuntime().addShutdownHook(suite.stopOnExit);
        try {
            suite.startAll(progress);
            return suite;
        } catch (IOException | InterruptedException | RuntimeException e) {
            suite.close();
            throw e;
        }
    }

    private void startAll(java.util.function.Consumer<String> progress) throws IOException, InterruptedException {
        String clash = settings.portClash();
        if (clash != null) {
            throw new IllegalArgumentException(clash);
        }
        Files.createDirectories(settings.hotRoot());
        Files.createDirectories(settings.archiveRoot());
        progress.accept("starting embedded PostgreSQL (data in " + settings.home().resolve("pg") + ")");
        database = EmbeddedDatabase.start(settings.home().resolve("pg"), settings.postgresPort());
        started.add(database);

        Map<String, String> common = new LinkedHashMap<>();
        common.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        common.put("QUARKUS_DATASOURCE_JDBC_URL", database.jdbcUrl());
        common.put("QUARKUS_DATASOURCE_USERNAME", database.user());
        common.put("QUARKUS_DATASOURCE_PASSWORD", database.password());
        // The local archive store; query and ingest read archived segments through the same settings.
        common.put("ATHANOR_ARCHIVE_STORE_KIND", "filesystem");
        common.put("ATHANOR_ARCHIVE_FILESYSTEM_ROOT", settings.archiveRoot().toString());
        common.putAll(extraEnvironment);
        common.putAll(settings.serviceEnvironment());

        // query-service owns the schema: it migrates before ingest starts writing.
        progress.accept("starting query-service on 127.0.0.1:" + settings.queryPort() + " (TensorBoard data provider on "
                + dataProviderEndpoint() + ")");
        queryEnv = new LinkedHashMap<>(common);
        queryEnv.put("ATHANOR_QUERY_RAW_HOT_ROOT", settings.hotRoot().toString());
        queryEnv.put("ATHANOR_QUERY_DATA_PROVIDER_PORT", Integer.toString(settings.dataProviderPort()));
        // Everything here listens on loopback, so alert webhooks may go to loopback receivers too.
        queryEnv.putIfAbsent("ATHANOR_ALERTS_ALLOWED_TARGETS", "127.0.0.0/8,::1/128");
        queryEnv.putIfAbsent("ATHANOR_ALERTS_PUBLIC_URL", "http://127.0.0.1:" + settings.queryPort());
        queryEnv.putAll(settings.queryEnvironment());
        startQuery();

        // archive-service needs only the schema: its JVMs start while ingest starts, and are awaited after.
        for (int i = 0; settings.archive() && i < settings.ingestReplicas(); i++) {
            progress.accept("starting archive-service" + (settings.ingestReplicas() > 1 ? " beside replica " + i : "")
                    + " on 127.0.0.1:" + settings.archiveHttpPort(i) + " (store " + archiveStoreDescription(common)
                    + ")");
            archives.add(startArchive(i, common));
        }

        ingestEnv = common;
        for (int i = 0; i < settings.ingestReplicas(); i++) {
            ingest.add(null);
        }
        for (int i = 0; i < settings.ingestReplicas(); i++) {
            progress.accept("starting ingest-service" + (settings.ingestReplicas() > 1 ? " replica " + i : "")
                    + " (gRPC on " + grpcEndpoint(i) + ")");
            startIngest(i);
        }
        for (ServiceProcess archive : archives) {
            archive.awaitReady(settings.startTimeout());
        }
    }

    private String archiveStoreDescription(Map<String, String> env) {
        String kind = env.get("ATHANOR_ARCHIVE_STORE_KIND");
        return kind.equals("filesystem") ? env.get("ATHANOR_ARCHIVE_FILESYSTEM_ROOT") : kind;
    }

    /**
     * Starts (without awaiting) the archive-service beside replica i: that replica's hot root and node,
     * a tiering pass every 10 s unless the environment says otherwise (a purge should not wait a minute).
     */
    private ServiceProcess startArchive(int replica, Map<String, String> common) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("ATHANOR_ARCHIVE_TIERING_INTERVAL", "10s");
        env.put("ATHANOR_ARCHIVE_TIERING_INITIAL_DELAY", "5s");
        env.putAll(common);
        env.put("ATHANOR_ARCHIVE_HOT_ROOT", settings.ingestHotRoot(replica).toString());
        settings.archiveNode(replica).ifPresent(node -> env.put("ATHANOR_ARCHIVE_HOT_NODE", node));
        Files.createDirectories(settings.ingestHotRoot(replica));
        ServiceProcess process = ServiceProcess.start(replica == 0 ? "archive-service" : "archive-service-" + replica,
                settings.javaHome(), settings.repo().resolve("archive-service/target/quarkus-app/quarkus-run.jar"),
                settings.archiveHttpPort(replica), env, settings.logs());
        started.add(0, process);
        return process;
    }

    private void startQuery() throws IOException, InterruptedException {
        query = ServiceProcess.start("query-service", settings.javaHome(),
                settings.repo().resolve("query-service/target/quarkus-app/quarkus-run.jar"),
                settings.queryPort(), queryEnv, settings.logs());
        started.add(0, query);
        query.awaitReady(settings.startTimeout());
    }

    /** Kills query-service (SIGKILL) and starts it again on the same ports; for fault tests. */
    public synchronized void crashAndRestartQuery() throws IOException, InterruptedException {
        started.remove(query);
        query.kill();
        startQuery();
    }

    /** The environment of ingest replica i: its own hot root, node name, ports and advertised address. */
    private Map<String, String> ingestEnvironment(int replica) {
        Map<String, String> env = new LinkedHashMap<>(ingestEnv);
        env.put("ATHANOR_INGEST_HOT_ROOT", settings.ingestHotRoot(replica).toString());
        settings.ingestNodeName(replica).ifPresent(name -> env.put("ATHANOR_INGEST_NODE_NAME", name));
        env.put("QUARKUS_GRPC_SERVER_HOST", "127.0.0.1");
        env.put("QUARKUS_GRPC_SERVER_PORT", Integer.toString(settings.grpcPort(replica)));
        // Where the other replicas and query-service reach this one (leases, live segment reads).
        env.put("ATHANOR_INGEST_OWNERSHIP_ADVERTISED_ADDRESS", grpcEndpoint(replica));
        env.putAll(settings.ingestEnvironment());
        return env;
    }

    private void startIngest(int replica) throws IOException, InterruptedException {
        startIngest(replica, List.of());
    }

    private void startIngest(int replica, List<String> launcher) throws IOException, InterruptedException {
        Files.createDirectories(settings.ingestHotRoot(replica));
        ServiceProcess process = ServiceProcess.start(replica == 0 ? "ingest-service" : "ingest-service-" + replica,
                settings.javaHome(), settings.repo().resolve("ingest-service/target/quarkus-app/quarkus-run.jar"),
                settings.ingestHttpPort(replica), ingestEnvironment(replica), settings.logs(), launcher);
        ingest.set(replica, process);
        started.add(0, process);
        process.awaitReady(settings.startTimeout());
    }

    /**
     * Kills ingest-service (replica 0) without letting it drain (SIGKILL, as an OOM kill or a node
     * loss does) and starts it again on the same ports and hot root; for fault tests of the whole path.
     */
    public void crashAndRestartIngest() throws IOException, InterruptedException {
        crashAndRestartIngest(0);
    }

    /** As {@link #crashAndRestartIngest()}, for replica i. */
    public synchronized void crashAndRestartIngest(int replica) throws IOException, InterruptedException {
        killIngest(replica);
        startIngest(replica);
    }

    /** Kills ingest-service (replica 0) without letting it drain (SIGKILL) and leaves it down. */
    public void killIngest() throws InterruptedException {
        killIngest(0);
    }

    /** Kills ingest replica i without letting it drain (SIGKILL) and leaves it down. */
    public synchronized void killIngest(int replica) throws InterruptedException {
        ServiceProcess process = replica(replica);
        started.remove(process);
        process.kill();
    }

    /**
     * Stops ingest replica i as Kubernetes does (SIGTERM: it seals and commits its open segments
     * and releases its leases) and waits until it has exited, at most {@code timeout}; leaves it down.
     *
     * @return the exit code
     * @throws IOException when it did not exit within the timeout (it is then killed)
     */
    public synchronized int drainIngest(int replica, Duration timeout) throws IOException, InterruptedException {
        ServiceProcess process = replica(replica);
        started.remove(process);
        return process.stop(timeout);
    }

    /** Starts ingest replica i again (after a kill or a drain) on the same ports, hot root and node name. */
    public void restartIngest(int replica) throws IOException, InterruptedException {
        restartIngest(replica, List.of());
    }

    /**
     * As {@link #restartIngest(int)}, started through {@code launcher} (e.g. {@code prlimit
     * --nofile=1024:1024 --}: a test of ingest under a low open-file limit).
     */
    public synchronized void restartIngest(int replica, List<String> launcher) throws IOException, InterruptedException {
        if (replica(replica).isAlive()) {
            throw new IllegalStateException("ingest replica " + replica + " is still running");
        }
        startIngest(replica, launcher);
    }

    /** Ingest replica i's process id (for /proc readings). */
    public long ingestPid(int replica) {
        return replica(replica).pid();
    }

    /** query-service's process id. */
    public long queryPid() {
        return query.pid();
    }

    /** PostgreSQL's postmaster process id, or empty when its pid file cannot be read. */
    public java.util.OptionalLong postmasterPid() {
        return database.postmasterPid();
    }

    /** Whether ingest replica i's process is running. */
    public boolean ingestAlive(int replica) {
        return replica(replica).isAlive();
    }

    private ServiceProcess replica(int replica) {
        settings.ingestHotRoot(replica); // names the replica count when out of range
        return ingest.get(replica);
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

    /** The base URL of the archive-service beside replica i ({@code …/api/v1}). */
    public String archiveBase(int replica) {
        return "http://127.0.0.1:" + settings.archiveHttpPort(replica) + "/api/v1";
    }

    public String restBase() {
        return "http://127.0.0.1:" + settings.queryPort() + "/api/v1";
    }

    /** query-service's TensorBoard data-provider endpoint, HOST:PORT ({@code athanor tensorboard --data-provider}). */
    public String dataProviderEndpoint() {
        return "127.0.0.1:" + settings.dataProviderPort();
    }

    /** Replica 0's gRPC endpoint (the only one with a single replica). */
    public String grpcEndpoint() {
        return grpcEndpoint(0);
    }

    /** Ingest replica i's gRPC endpoint, HOST:PORT. */
    public String grpcEndpoint(int replica) {
        return "127.0.0.1:" + settings.grpcPort(replica);
    }

    /** Every ingest replica's gRPC endpoint, in replica order. */
    public List<String> grpcEndpoints() {
        List<String> endpoints = new ArrayList<>();
        for (int i = 0; i < settings.ingestReplicas(); i++) {
            endpoints.add(grpcEndpoint(i));
        }
        return List.copyOf(endpoints);
    }

    /** Stops ingest first (its replicas drain together), then archive, then query, then PostgreSQL. */
    @Override
    public synchronized void close() {
        if (Thread.currentThread() != stopOnExit) {
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException exiting) {
                // The JVM is exiting: the hook runs (and waits for this close to end).
            }
        }
        for (ServiceProcess replica : ingest) {
            if (replica != null && started.contains(replica)) {
                replica.terminate();
            }
        }
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
