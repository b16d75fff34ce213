package dev.athanor.index.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * Every write of a run stamps its run_change row with the writing transaction (what the alert
 * evaluator reads), and the indexer's per-transaction update of a run's wall-time bounds stays a
 * HOT update (V1_5_59: with the stamp an indexed column of run, none was).
 */
class RunChangeStampTest {

    @Test
    void insertAndUpdateStampTheWritingTransactionAndDeleteTakesTheStamp() throws SQLException {
        try (Connection c = TestPostgres.migratedDataSource().getConnection()) {
            long run = newRun(c, "stamp");
            long insertedBy = stampOf(c, run);
            assertThat(insertedBy).isPositive();

            c.setAutoCommit(false);
            long writer;
            try (Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE run SET last_event_at = now() WHERE id = " + run);
                writer = single(c, "SELECT pg_current_xact_id()::text::bigint");
            }
            c.commit();
            c.setAutoCommit(true);
            assertThat(stampOf(c, run)).isEqualTo(writer).isGreaterThan(insertedBy);

            try (Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM run WHERE id = " + run);
            }
            assertThat(single(c, "SELECT count(*) FROM run_change WHERE run_id = " + run)).isZero();
        }
    }

    @Test
    void theIndexersUpdateOfARunIsHot() throws SQLException {
        try (Connection c = TestPostgres.migratedDataSource().getConnection()) {
            long run = newRun(c, "sweep/lr=0.001,seed=3");
            long[] before = runUpdates(c);
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE run SET last_event_at = greatest(last_event_at, now() + make_interval(secs => ?)) WHERE id = ?")) {
                for (int i = 0; i < 100; i++) {
                    ps.setInt(1, i);
                    ps.setLong(2, run);
                    ps.executeUpdate();
                }
            }
            long[] after = runUpdates(c);
            assertThat(after[0] - before[0]).isEqualTo(100);
            // A page that fills up can force the odd one off the page; an indexed column would force all.
            assertThat(after[1] - before[1]).as("HOT updates of 100").isGreaterThanOrEqualTo(90);
        }
    }

    private static long newRun(Connection c, String path) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO experiment (project_id, name) SELECT id, 'run-change-" + path.hashCode() + "-' || clock_timestamp()"
                    + " FROM project WHERE name = 'default'");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO run (experiment_id, path)"
                + " SELECT max(id), ? FROM experiment RETURNING id")) {
            ps.setString(1, path);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long stampOf(Connection c, long run) throws SQLException {
        return single(c, "SELECT change_xid FROM run_change WHERE run_id = " + run);
    }

    /** The run table's updates and HOT updates so far, this backend's counts flushed first. */
    private static long[] runUpdates(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_force_next_flush()");
            s.execute("SELECT pg_stat_clear_snapshot()");
            try (ResultSet rs = s.executeQuery("SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = 'run'")) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        }
    }

    private static long single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getLong(1);
        }
    }
}
