package dev.athanor.index.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * One embedded PostgreSQL 17 per test JVM (per class loader), migrated with these migrations
 * exactly as query-service applies them. Shared through this module's test-jar by the services'
 * tests; each test isolates itself by the rows it creates (its own experiments, its own ingest
 * node name), never by truncating.
 */
public final class TestPostgres {

    private static EmbeddedPostgres postgres;
    private static boolean migrated;

    private TestPostgres() {
    }

    public static synchronized EmbeddedPostgres instance() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException("could not start embedded PostgreSQL", e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the JVM is going away
                }
            }));
        }
        return postgres;
    }

    public static String jdbcUrl() {
        return instance().getJdbcUrl("postgres", "postgres");
    }

    /** A migrated DataSource for tests that run without Quarkus (store contract tests). */
    public static synchronized DataSource migratedDataSource() {
        DataSource dataSource = instance().getPostgresDatabase();
        if (!migrated) {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
            migrated = true;
        }
        return dataSource;
    }
}
