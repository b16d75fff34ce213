package dev.athanor.query.testing;

import dev.athanor.index.testing.TestPostgres;

import dev.athanor.query.common.jdbc.Jdbc;
import java.time.Duration;
import javax.sql.DataSource;

/** What the PostgreSQL contract tests build their stores from. */
public final class PgStores {

    private PgStores() {
    }

    public static DataSource dataSource() {
        return TestPostgres.migratedDataSource();
    }

    public static Jdbc jdbc() {
        return new Jdbc(dataSource(), Duration.ofSeconds(30));
    }

    public static IndexTestData data() {
        return new IndexTestData(dataSource());
    }
}
