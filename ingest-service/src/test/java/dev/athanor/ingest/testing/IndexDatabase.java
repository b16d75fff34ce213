package dev.athanor.ingest.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** A real PostgreSQL with the index schema, for tests of one component without the whole service. */
public final class IndexDatabase implements AutoCloseable {

    private final EmbeddedPostgres.Builder builder;
    private EmbeddedPostgres postgres;
    private final DataSource dataSource;

    private IndexDatabase(EmbeddedPostgres.Builder builder) throws IOException {
        this.builder = builder;
        this.postgres = builder.start();
        this.dataSource = postgres.getPostgresDatabase();
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
    }

    public static IndexDatabase start() {
        try {
            return new IndexDatabase(EmbeddedPostgres.builder());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
        }
    }

    /** A database that can be stopped and started again on the same data directory and port (outage tests). */
    public static IndexDatabase startRestartable(java.nio.file.Path dataDirectory) {
        try {
            int port;
            try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            return new IndexDatabase(EmbeddedPostgres.builder().setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false).setPort(port));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
        }
    }

    /** Stops the server (an outage): connections fail until {@link #restart()}. */
    public void stopServer() throws IOException {
        postgres.close();
    }

    /** Starts the server again on the same data directory and port; the data source works again. */
    public void restart() throws IOException {
        postgres = builder.start();
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /** A new run (in a new experiment of the default project); returns its id. */
    public long newRun() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("""
                    WITH e AS (INSERT INTO experiment (project_id, name)
                               SELECT id, 'test-' || gen_random_uuid() FROM project WHERE name = 'default' RETURNING id)
                    INSERT INTO run (experiment_id, path) SELECT id, 'run' FROM e RETURNING id""")) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Runs one statement, for tests that set a table up by hand. */
    public int update(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            return s.executeUpdate(sql);
        }
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
