package dev.athanor.index.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The migrations apply in order on a fresh PostgreSQL and leave the tables the services use. */
class MigrationsTest {

    @Test
    void everyMigrationAppliesOnAFreshDatabase() throws SQLException, IOException, URISyntaxException {
        Path migrations = Path.of(getClass().getResource("/db/migration").toURI());
        long files;
        try (Stream<Path> list = Files.list(migrations)) {
            files = list.filter(f -> f.getFileName().toString().endsWith(".sql")).count();
        }
        try (Connection connection = TestPostgres.migratedDataSource().getConnection();
             ResultSet applied = connection.createStatement().executeQuery(
                     "SELECT count(*) FROM flyway_schema_history WHERE success AND version IS NOT NULL")) {
            applied.next();
            assertThat(applied.getLong(1)).isEqualTo(files);
        }
    }

    @Test
    void theIndexTablesExistWithTheDefaultProject() throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Connection connection = TestPostgres.migratedDataSource().getConnection()) {
            try (ResultSet rs = connection.createStatement().executeQuery(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            assertThat(tables).contains("project", "experiment", "run", "series", "scalar_chunk", "tensor_point",
                    "blob_sequence_point", "raw_segment", "source_file", "ingest_problem", "archive_object");
            try (ResultSet rs = connection.createStatement().executeQuery("SELECT name FROM project")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("default");
            }
        }
    }
}
