package dev.athanor.cli.suite;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code athanor up}: the whole suite on one machine, with embedded PostgreSQL, the raw log and
 * the archive on the local filesystem, and auth off — so everything binds to loopback only.
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {
            "Runs the whole suite locally: embedded PostgreSQL (data kept in --home), query-service and",
            "ingest-service, bound to 127.0.0.1 with auth off. Stops cleanly on Ctrl-C."
        })
public final class UpCommand implements Callable<Integer> {

    @Option(names = "--home", description = "Where data and logs live (default: ${DEFAULT-VALUE}).",
            defaultValue = "${env:ATHANOR_HOME:-.athanor}")
    Path home;

    @Option(names = "--repo", description = "The Athanor checkout holding the built services (default: ${DEFAULT-VALUE}).",
            defaultValue = "${env:ATHANOR_REPO:-.}")
    Path repo;

    @Option(names = "--pg-port", defaultValue = "54329", description = "Embedded PostgreSQL port (default: ${DEFAULT-VALUE}).")
    int pgPort;

    @Option(names = "--query-port", defaultValue = "8080", description = "REST API port (default: ${DEFAULT-VALUE}).")
    int queryPort;

    @Option(names = "--ingest-port", defaultValue = "8081", description = "ingest-service HTTP port for health and metrics (default: ${DEFAULT-VALUE}).")
    int ingestHttpPort;

    @Option(names = "--grpc-port", defaultValue = "9090", description = "gRPC ingest port (default: ${DEFAULT-VALUE}).")
    int grpcPort;

    @Option(names = "--demo", description = "Upload the example event files once the suite is up.")
    boolean demo;

    @Override
    public Integer call() throws Exception {
        Path homeDir = home.toAbsolutePath().normalize();
        Path repoDir = repo.toAbsolutePath().normalize();
        Path javaHome = Path.of(System.getProperty("java.home"));
        Path logs = homeDir.resolve("logs");
        List<AutoCloseable> started = new ArrayList<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread shutdown = new Thread(() -> {
            System.err.println("\nathanor: stopping the suite...");
            closeAll(started);
            stopped.countDown();
        }, "athanor-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdown);

        System.err.println("athanor: starting embedded PostgreSQL (data in " + homeDir.resolve("pg") + ")...");
        EmbeddedDatabase database = EmbeddedDatabase.start(homeDir.resolve("pg"), pgPort);
        started.add(database);

        Map<String, String> common = new LinkedHashMap<>();
        common.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        common.put("QUARKUS_DATASOURCE_JDBC_URL", database.jdbcUrl());
        common.put("QUARKUS_DATASOURCE_USERNAME", database.user());
        common.put("QUARKUS_DATASOURCE_PASSWORD", database.password());
        common.put("ATHANOR_RAW_ROOT", homeDir.resolve("hot").toString());
        Files.createDirectories(homeDir.resolve("hot"));

        // query-service owns the schema: it migrates before ingest starts writing.
        ServiceProcess query = ServiceProcess.start("query-service", javaHome,
                repoDir.resolve("query-service/target/quarkus-app/quarkus-run.jar"), queryPort, common, logs);
        started.add(0, query);
        query.awaitReady(Duration.ofMinutes(2));

        Map<String, String> ingestEnv = new LinkedHashMap<>(common);
        ingestEnv.put("QUARKUS_GRPC_SERVER_HOST", "127.0.0.1");
        ingestEnv.put("QUARKUS_GRPC_SERVER_PORT", Integer.toString(grpcPort));
        ServiceProcess ingest = ServiceProcess.start("ingest-service", javaHome,
                repoDir.resolve("ingest-service/target/quarkus-app/quarkus-run.jar"), ingestHttpPort, ingestEnv, logs);
        started.add(0, ingest);
        ingest.awaitReady(Duration.ofMinutes(2));

        printBanner(homeDir, database);
        stopped.await();
        return 0;
    }

    private void printBanner(Path homeDir, EmbeddedDatabase database) {
        String line = "=".repeat(78);
        System.out.println(line);
        System.out.println(" Athanor is up (local suite)");
        System.out.println("   REST API      http://127.0.0.1:" + queryPort + "/api/v1");
        System.out.println("   OpenAPI       http://127.0.0.1:" + queryPort + "/q/swagger-ui");
        System.out.println("   gRPC ingest   127.0.0.1:" + grpcPort + "   (athanor upload --endpoint 127.0.0.1:" + grpcPort + ")");
        System.out.println("   PostgreSQL    " + database.jdbcUrl());
        System.out.println("   data, logs    " + homeDir);
        System.out.println(" AUTH IS OFF: every service is bound to 127.0.0.1 only. Do not expose these ports.");
        System.out.println(" Ctrl-C stops everything.");
        System.out.println(line);
    }

    private static void closeAll(List<AutoCloseable> started) {
        for (AutoCloseable each : started) {
            try {
                each.close();
            } catch (Exception e) {
                System.err.println("athanor: while stopping: " + e.getMessage());
            }
        }
    }
}
