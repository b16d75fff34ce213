package dev.athanor.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local suite's PostgreSQL keeps its data directory: what was written before a restart is still there. */
class EmbeddedDatabaseTest {

    @TempDir
    Path dir;

    @Test
    void dataSurvivesARestartAndThePostmasterIsNamed() throws Exception {
        Path data = dir.resolve("pg");
        int port = Ports.free();
        try (EmbeddedDatabase db = EmbeddedDatabase.start(data, port)) {
            assertThat(db.port()).isEqualTo(port);
            assertThat(db.postmasterPid()).isPresent();
            assertThat(ProcessHandle.of(db.postmasterPid().getAsLong()).map(ProcessHandle::isAlive)).contains(true);
            try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
                c.createStatement().execute("CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)");
            }
        }
        try (EmbeddedDatabase again = EmbeddedDatabase.start(data, Ports.free());
             Connection c = DriverManager.getConnection(again.jdbcUrl(), again.user(), again.password());
             ResultSet rs = c.createStatement().executeQuery("SELECT v FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(42);
        }
    }
}
