package dev.athanor.bench.query;

import dev.athanor.bench.ScratchIndex;
import dev.athanor.index.write.IndexWriter;
import dev.athanor.index.write.SeriesRows;
import dev.athanor.index.write.SubBlocks;
import java.sql.*;
import java.util.*;
import javax.sql.DataSource;

/**
 * The measurement behind V1_5_57's storage of scalar_chunk.sub_blocks and wall_blocks: N series of
 * 10,000 points written by index-writer, then the chunk rows copied into one table per storage
 * variant (values rebuilt, so each is stored as that variant says) and per table the median time
 * PostgreSQL takes to detoast every row's step summaries and wall summaries, with the heap size and
 * bytes stored per value. Also the 2026-12-06 layout (both in sub_blocks). Not a test.
 * Run: {@code java -cp "bench/target/classes:$(cat bench/target/runtime-classpath.txt)"
 * dev.athanor.bench.query.SummaryStorageBench 300}
 */
public final class SummaryStorageBench {
    public static void main(String[] a) throws Exception {
        int series = Integer.parseInt(a[0]);
        try (ScratchIndex index = ScratchIndex.start()) {
            DataSource ds = index.dataSource();
            try (Connection c = ds.getConnection()) {
                Statement st = c.createStatement();
                try (ResultSet rs = st.executeQuery("SHOW default_toast_compression")) { rs.next(); System.out.println("default_toast_compression " + rs.getString(1)); }
                try (ResultSet rs = st.executeQuery("SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'")) { rs.next(); System.out.println("available " + rs.getString(1)); }
                try (ResultSet rs = st.executeQuery("INSERT INTO experiment (project_id, name) SELECT id, 'x' FROM project WHERE name = 'default' RETURNING id")) { rs.next();
                    long exp = rs.getLong(1);
                    Random r = new Random(1);
                    c.setAutoCommit(false);
                    IndexWriter w = new IndexWriter(c);
                    for (int s = 0; s < series; s++) {
                        long run;
                        try (ResultSet rr = st.executeQuery("INSERT INTO run (experiment_id, path) VALUES (" + exp + ", 'r" + s + "') RETURNING id")) { rr.next(); run = rr.getLong(1); }
                        long id = w.series(run, new SeriesRows.NewSeries("loss", "scalars", SeriesRows.SCALAR, null, false));
                        int n = 10_000;
                        long[] steps = new long[n]; double[] walls = new double[n]; double[] vals = new double[n];
                        double wall = 1_700_000_000 + r.nextDouble() * 1000;
                        for (int i = 0; i < n; i++) { steps[i] = i; wall += 0.05 + 0.1 * r.nextDouble(); walls[i] = wall;
                            vals[i] = (float) (Math.exp(-i / 3000.0) + r.nextGaussian() * 0.05); }
                        w.scalars(id, steps, walls, vals, 1000);
                        w.flush();
                        c.commit();
                    }
                    c.setAutoCommit(true);
                }
                String[][] variants = {
                    {"both_main", "MAIN", "pglz", "MAIN", "pglz"},
                    {"sub_main_wall_external", "MAIN", "pglz", "EXTERNAL", "pglz"},
                    {"sub_plain_wall_main", "PLAIN", "pglz", "MAIN", "pglz"},
                    {"sub_plain_wall_external", "PLAIN", "pglz", "EXTERNAL", "pglz"},
                    {"combined_v2_main", "MAIN", "pglz", "MAIN", "pglz"},
                };
                for (String[] v : variants) {
                    String t = "v_" + v[0];
                    st.execute("CREATE TABLE " + t + " (LIKE scalar_chunk INCLUDING STORAGE INCLUDING COMPRESSION)");
                    st.execute("ALTER TABLE " + t + " ALTER COLUMN sub_blocks SET STORAGE " + v[1] + ", ALTER COLUMN sub_blocks SET COMPRESSION " + v[2]
                        + ", ALTER COLUMN wall_blocks SET STORAGE " + v[3] + ", ALTER COLUMN wall_blocks SET COMPRESSION " + v[4]);
                    st.execute("INSERT INTO " + t + " SELECT series_id, first_step, last_step, point_count, steps, wall_times, vals, min_value, max_value, first_value, last_value,"
                        + " first_wall_time, last_wall_time, nan_count, inf_count, sub_blocks || ''::bytea, wall_blocks || ''::bytea FROM scalar_chunk");
                    if (v[0].startsWith("combined")) {
                        // yesterday's layout: both in sub_blocks (recomputed in Java to keep the format in SubBlocks)
                        st.execute("TRUNCATE " + t);
                        try (ResultSet rs = c.createStatement().executeQuery("SELECT series_id, first_step, sub_blocks, wall_blocks FROM scalar_chunk");
                             PreparedStatement ps = c.prepareStatement("INSERT INTO " + t + " SELECT series_id, first_step, last_step, point_count, steps, wall_times, vals, min_value, max_value, first_value, last_value,"
                                + " first_wall_time, last_wall_time, nan_count, inf_count, ?, NULL FROM scalar_chunk WHERE series_id = ? AND first_step = ?")) {
                            while (rs.next()) {
                                ps.setBytes(1, SubBlocks.combined(new SubBlocks.Summaries(rs.getBytes(3), rs.getBytes(4))));
                                ps.setLong(2, rs.getLong(1)); ps.setLong(3, rs.getLong(2)); ps.addBatch();
                            }
                            ps.executeBatch();
                        }
                    }
                    st.execute("VACUUM ANALYZE " + t);
                    String sizes;
                    try (ResultSet rs = st.executeQuery("SELECT pg_relation_size('" + t + "'), pg_total_relation_size('" + t + "'),"
                        + " avg(pg_column_size(sub_blocks))::int, avg(length(sub_blocks))::int, avg(pg_column_size(wall_blocks))::int, avg(length(wall_blocks))::int FROM " + t)) {
                        rs.next();
                        sizes = String.format("heap %d KB, total %d KB, sub_blocks stored %d B (raw %d), wall_blocks stored %d B (raw %d)",
                            rs.getLong(1) / 1024, rs.getLong(2) / 1024, rs.getInt(3), rs.getInt(4), rs.getInt(5), rs.getInt(6));
                    }
                    double step = time(c, "SELECT sum(get_byte(sub_blocks, 0)) FROM " + t);
                    double wall = v[0].startsWith("combined") ? time(c, "SELECT sum(get_byte(sub_blocks, 0)) FROM " + t)
                        : time(c, "SELECT sum(get_byte(wall_blocks, 0)) FROM " + t);
                    double stepSend = time(c, "SELECT sum(length(sub_blocks || ''::bytea)) FROM " + t);
                    System.out.printf("%-30s step detoast %.2f ms, wall detoast %.2f ms, step copy %.2f ms; %s%n", v[0], step, wall, stepSend, sizes);
                }
            }
        }
    }

    /** Median execution time (EXPLAIN ANALYZE) of 31 runs after 5 warm-ups. */
    static double time(Connection c, String sql) throws SQLException {
        double[] t = new double[31];
        for (int i = -5; i < t.length; i++) {
            double ms = 0;
            try (ResultSet rs = c.createStatement().executeQuery("EXPLAIN (ANALYZE, TIMING OFF, FORMAT TEXT) " + sql)) {
                while (rs.next()) { String l = rs.getString(1); if (l.startsWith("Execution Time:")) ms = Double.parseDouble(l.replaceAll("[^0-9.]", "")); }
            }
            if (i >= 0) t[i] = ms;
        }
        Arrays.sort(t);
        return t[t.length / 2];
    }
}
