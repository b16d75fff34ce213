package dev.athanor.bench;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * A scratch PostgreSQL (embedded binaries, a temporary data directory, any free port) migrated with
 * the index schema, for benchmarks that fill or drive the index themselves.
 */
public final class ScratchIndex implements AutoCloseable {

    private final EmbeddedPostgres postgres;

    private ScratchIndex(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    public static ScratchIndex start() throws IOException {
        return start(Map.of());
    }

    /** With PostgreSQL server settings (e.g. a preloaded library and where its log goes). */
    public static ScratchIndex start(Map<String, String> serverConfig) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
        serverConfig.forEach(builder::setServerConfig);
        EmbeddedPostgres postgres = builder.start();
        try {
            Flyway.configure().dataSource(postgres.getPostgresDatabase()).locations("classpath:db/migration").load()
                    .migrate();
        } catch (RuntimeException e) {
            postgres.close();
            throw e;
        }
        return new ScratchIndex(postgres);
    }

    public DataSource dataSource() {
        return postgres.getPostgresDatabase();
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
