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
 * ingest node, and no scheduled pass or scrub step during the test (tests trigger them themselves).
 */
public class ArchiveServiceResource implements QuarkusTestResourceLifecycleManager {

    public static final String NODE = "quarkus-test-node";

    @Override
    public Map<String, String> start() {
        TestPostgres.migratedDataSource();
        try {
            Path dir = Files.createTempDirectory("athanor-archive-service-");
            return Map.ofEntries(
                    Map.entry("quarkus.datasource.jdbc.url", TestPostgres.jdbcUrl()),
                    Map.entry("quarkus.datasource.username", "postgres"),
                    Map.entry("quarkus.datasource.password", "postgres"),
                    Map.entry("athanor.archive.hot.root", Files.createDirectories(dir.resolve("hot")).toString()),
                    Map.entry("athanor.archive.hot.node", NODE),
                    Map.entry("athanor.archive.filesystem.root", dir.resolve("archive").toString()),
                    Map.entry("athanor.archive.tiering.initial-delay", "1h"),
                    Map.entry("athanor.archive.scrub.initial-delay", "1h"),
                    // Every verified copy is due at once (the default waits 30 days between checks).
                    Map.entry("athanor.archive.scrub.every", "0s"),
                    // One replication destination, configured with the primary's keys under replicas.dr.
                    Map.entry("athanor.archive.replication.destinations", "dr"),
                    Map.entry("athanor.archive.replicas.dr.store.kind", "filesystem"),
                    Map.entry("athanor.archive.replicas.dr.filesystem.root", dir.resolve("replica").toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        // PostgreSQL stops with the JVM.
    }
}
