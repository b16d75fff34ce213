package dev.athanor.ingest.testing;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.flywaydb.core.Flyway;

/**
 * A real PostgreSQL 17 (zonky embedded binaries, no Docker) with the index-schema migrations
 * applied by Flyway, plus a fresh hot-root directory and a free gRPC port. Tests stop and restart the database through
 * {@link PostgresControl} to check that ingest survives it.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private EmbeddedPostgres postgres;
    private Path dataDir;
    private int port;

    @Override
    public Map<String, String> start() {
        try {
            Path base = Files.createDirectories(Path.of("target", "test-data")).toAbsolutePath();
            dataDir = Files.createTempDirectory(base, "pg-");
            Path hotRoot = Files.createTempDirectory(base, "hot-");
            Path archiveRoot = Files.createTempDirectory(base, "archive-");
            port = freePort();
            int grpcPort = freePort();
            startPostgres();
            String url = "jdbc:postgresql://localhost:" + port + "/postgres";
            Flyway.configure().dataSource(url, "postgres", "postgres").locations("classpath:db/migration").load()
                    .migrate();
            PostgresControl.register(this::stopPostgres, this::startPostgres, url, hotRoot);
            return Map.of(
                    "quarkus.datasource.jdbc.url", url,
                    "quarkus.datasource.username", "postgres",
                    "quarkus.datasource.password", "postgres",
                    "athanor.ingest.hot-root", hotRoot.toString(),
                    "athanor.archive.filesystem.root", archiveRoot.toString(),
                    "quarkus.grpc.server.test-port", Integer.toString(grpcPort),
                    "quarkus.grpc.clients.ingest.port", Integer.toString(grpcPort));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts on the same port and data directory each time (initdb only runs on the empty directory). */
    private synchronized void startPostgres() {
        try {
            postgres = EmbeddedPostgres.builder()
                    .setPort(port)
                    .setDataDirectory(dataDir)
                    // Keep the data when stopped: a restarted database must still hold the index.
                    .setCleanDataDirectory(false)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized void stopPostgres() {
        if (postgres != null) {
            try {
                postgres.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            postgres = null;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void stop() {
        stopPostgres();
    }
}
