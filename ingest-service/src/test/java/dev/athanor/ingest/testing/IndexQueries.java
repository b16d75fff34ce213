package dev.athanor.ingest.testing;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** Reads the index back in plain SQL, for assertions. */
public final class IndexQueries {

    /** A scalar point as stored. */
    public record Point(long step, double wallTime, double value) {

        /** 0 when step, wall time and value are identical (NaN equals NaN). */
        public int compareTo(Point other) {
            int c = Long.compare(step, other.step);
            if (c == 0) {
                c = Double.compare(wallTime, other.wallTime);
            }
            return c != 0 ? c : Double.compare(value, other.value);
        }
    }

    private final DataSource dataSource;

    public IndexQueries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Every scalar point of every scalar series of the run, by tag, in step order. */
    public Map<String, List<Point>> scalars(long runId) throws SQLException {
        Map<String, List<Point>> out = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT s.tag, c.steps, c.wall_times, c.vals FROM scalar_chunk c JOIN series s ON s.id = c.series_id
                     WHERE s.run_id = ? ORDER BY s.tag, c.first_step""")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Long[] steps = (Long[]) rs.getArray(2).getArray();
                    Double[] walls = (Double[]) rs.getArray(3).getArray();
                    Double[] vals = (Double[]) rs.getArray(4).getArray();
                    List<Point> points = out.computeIfAbsent(rs.getString(1), t -> new ArrayList<>());
                    for (int i = 0; i < steps.length; i++) {
                        points.add(new Point(steps[i], walls[i], vals[i]));
                    }
                }
            }
        }
        return out;
    }

    public long count(String sql, Object... args) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public String string(String sql, Object... args) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Rows as lists of column values. */
    public List<List<Object>> rows(String sql, Object... args) throws SQLException {
        List<List<Object>> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= n; i++) {
                        Object v = rs.getObject(i);
                        row.add(v instanceof Array a ? a.getArray() : v);
                    }
                    out.add(row);
                }
            }
        }
        return out;
    }

    /** Runs one statement that changes rows (a test setting a table up by hand); returns how many. */
    public int update(String sql, Object... args) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }
}
