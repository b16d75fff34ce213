package dev.athanor.archive.testing;

import dev.athanor.index.testing.TestPostgres;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * For {@code @QuarkusTest}s: embedded PostgreSQL migrated with the index schema (query-service
 * owns the migrations; archive-service only uses the tables), fresh hot and archive folders, one
 * ingest node, and no scheduled pass during the test (tests trigger passes themselves).
 */
public class ArchiveServiceResource implements QuarkusTestResourceLifecycleManager {

    public static final String NODE = "quarkus-test-node";

    @Override
    public Map<String, String> start() {
        TestPostgres.migratedDataSource();
        try {
            Path dir = Files.createTempDirectory("athanor-archive-service-");
            return Map.of(
                    "quarkus.datasource.jdbc.url", TestPostgres.jdbcUrl(),
                    "quarkus.datasource.username", "postgres",
                    "quarkus.datasource.password", "postgres",
                    "athanor.archive.hot.root", Files.createDirectories(dir.resolve("hot")).toString(),
                    "athanor.archive.hot.node", NODE,
                    "athanor.archive.filesystem.root", dir.resolve("archive").toString(),
                    "athanor.archive.tiering.initial-delay", "1h",
                    // One replication destination, configured with the primary's keys under replicas.dr.
                    "athanor.archive.replication.destinations", "dr",
                    "athanor.archive.replicas.dr.store.kind", "filesystem",
                    "athanor.archive.replicas.dr.filesystem.root", dir.resolve("replica").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        // PostgreSQL stops with the JVM.
    }
}
