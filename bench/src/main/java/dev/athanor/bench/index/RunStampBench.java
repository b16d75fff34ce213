package dev.athanor.bench.index;

import dev.athanor.bench.ScratchIndex;
import dev.athanor.bench.suite.ProcStats;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * What PostgreSQL spends on the one {@code UPDATE run} every index transaction makes (the run's
 * wall-time bounds; its trigger stamps the run's {@code run_change} row for the alert evaluator),
 * with the run table as the migrations leave it and then without, one after the other, the indexes
 * and the trigger that could make the update expensive (before V1_5_59 the stamp was an indexed
 * column of run, so no update was HOT and every one re-derived the natural-order key). Runs on a scratch index (embedded PostgreSQL), 100 runs updated in turn,
 * one transaction per update as the indexer commits; the figure is the backend's CPU from /proc.
 *
 * <p>Arguments: {@code --transactions N} (default 3000, about a 5 M-point 100-run sweep's),
 * {@code --runs N} (default 100).
 */
public final class RunStampBench {

    private record Variant(String name, String change) {
    }

    private static final List<Variant> VARIANTS = List.of(
            new Variant("as migrated (warm-up)", null),
            new Variant("as migrated", null),
            new Variant("without run_experiment_natural_order_idx", "DROP INDEX run_experiment_natural_order_idx"),
            new Variant("also without run_change_xid_idx (of run_change)", "DROP INDEX run_change_xid_idx"),
            new Variant("also without the run_changed trigger", "ALTER TABLE run DISABLE TRIGGER run_changed"));

    private RunStampBench() {
    }

    public static void main(String[] args) throws Exception {
        int transactions = 3000;
        int runs = 100;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--transactions" -> transactions = Integer.parseInt(args[++i]);
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + " (expected --transactions N, --runs N)");
            }
        }
        try (ScratchIndex index = ScratchIndex.start(); Connection c = index.dataSource().getConnection()) {
            long firstRun;
            long backend;
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO project (name) VALUES ('bench') ON CONFLICT DO NOTHING");
                s.execute("INSERT INTO experiment (project_id, name) SELECT id, 'run-stamp' FROM project WHERE name = 'bench'");
                // Paths shaped like a sweep's (digits and separators: natural_sort_key's work).
                s.execute("INSERT INTO run (experiment_id, path) SELECT e.id, 'sweep/lr=0.00' || g || ',batch=64,seed=' || (g % 7)"
                        + " FROM experiment e, generate_series(1, " + runs + ") g");
                try (ResultSet rs = s.executeQuery("SELECT pg_backend_pid(), min(id) FROM run")) {
                    rs.next();
                    backend = rs.getLong(1);
                    firstRun = rs.getLong(2);
                }
            }
            System.out.printf("UPDATE run per index transaction: %,d transactions over %d runs%n", transactions, runs);
            System.out.printf("%-48s %14s %10s %12s%n", "run table", "backend CPU s", "us / tx", "HOT updates");
            double wallTime = 1.8e9;
            for (Variant v : VARIANTS) {
                c.setAutoCommit(true);
                if (v.change() != null) {
                    try (Statement s = c.createStatement()) {
                        s.execute(v.change());
                    }
                }
                long[] before = updates(c);
                c.setAutoCommit(false);
                double cpu0 = ProcStats.cpuSeconds(backend, false);
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE run SET last_event_at = greatest(last_event_at, to_timestamp(?)) WHERE id = ?")) {
                    for (int i = 0; i < transactions; i++) {
                        wallTime += 0.01;
                        ps.setDouble(1, wallTime);
                        ps.setLong(2, firstRun + i % runs);
                        ps.executeUpdate();
                        c.commit();
                    }
                }
                double cpu = ProcStats.cpuSeconds(backend, false) - cpu0;
                c.setAutoCommit(true);
                long[] after = updates(c);
                System.out.printf("%-48s %14.2f %10.0f %6d of %,d%n", v.name(), cpu, cpu * 1e6 / transactions,
                        after[1] - before[1], after[0] - before[0]);
            }
        }
    }

    /** The run table's updates and HOT updates so far (this backend's own, flushed by pg_stat_force_next_flush). */
    private static long[] updates(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_stat_force_next_flush()");
            s.execute("SELECT pg_stat_clear_snapshot()");
            try (ResultSet rs = s.executeQuery(
                    "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_user_tables WHERE relname = 'run'")) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        }
    }
}
