package dev.athanor.archive.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * One embedded PostgreSQL 17 per test JVM, migrated with the index-schema migrations (as
 * query-service applies them). Tests isolate themselves by their own ingest node name and
 * experiments, never by truncating.
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
            EmbeddedPostgres started = postgres;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
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

    public static synchronized DataSource migratedDataSource() {
        DataSource dataSource = instance().getPostgresDatabase();
        if (!migrated) {
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
            migrated = true;
        }
        return dataSource;
    }
}
