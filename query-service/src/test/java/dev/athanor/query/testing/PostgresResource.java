package dev.athanor.query.testing;

import dev.athanor.index.testing.TestPostgres;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Starts embedded PostgreSQL for {@code @QuarkusTest}s and points the datasource at it; Quarkus
 * then applies the migrations itself (migrate-at-start), as in production. Also gives the
 * service a fresh hot-root directory for raw segments and a filesystem archive.
 */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        try {
            Path hotRoot = Files.createTempDirectory("athanor-hot-");
            Path archiveRoot = Files.createTempDirectory("athanor-archive-");
            return Map.of(
                    "quarkus.datasource.jdbc.url", TestPostgres.jdbcUrl(),
                    "quarkus.datasource.username", "postgres",
                    "quarkus.datasource.password", "postgres",
                    "athanor.query.raw.hot-root", hotRoot.toString(),
                    // The filesystem archive, with a cold tier that needs restores like S3 Glacier.
                    "athanor.archive.filesystem.root", archiveRoot.toString(),
                    "athanor.archive.filesystem.cold-restore-time", "1h");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        // The database stops with the JVM; other test classes may still use it.
    }
}
