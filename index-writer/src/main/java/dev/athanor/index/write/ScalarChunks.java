package dev.athanor.index.write;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reading back and changing stored scalar_chunk rows (new rows are written by {@link PointRows}):
 * the partly filled tails the next points refill, and what a rewind to an earlier step deletes or
 * cuts. Chunks are keyed by (series_id, first_step).
 */
public final class ScalarChunks {

    /** A stored chunk: its first step (its key within the series) and its points. */
    public record Stored(long firstStep, ScalarPoints points) {
    }

    private ScalarChunks() {
    }

    /** The last chunk of each series that holds fewer than {@code chunkPoints} points, by series id, in one query. */
    public static Map<Long, Stored> partlyFilledTails(Connection c, Collection<Long> seriesIds, int chunkPoints)
            throws SQLException {
        Map<Long, Stored> tails = new HashMap<>();
        if (seriesIds.isEmpty()) {
            return tails;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT DISTINCT ON (series_id) series_id, first_step, point_count, steps, wall_times, vals
                FROM scalar_chunk WHERE series_id = ANY(?) ORDER BY series_id, first_step DESC""")) {
            ps.setArray(1, c.createArrayOf("int8", seriesIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rs.getInt(3) < chunkPoints) {
                        tails.put(rs.getLong(1), new Stored(rs.getLong(2), points(rs.getArray(4), rs.getArray(5),
                                rs.getArray(6))));
                    }
                }
            }
        }
        return tails;
    }

    /** Deletes the chunks keyed {@code {seriesId, firstStep}} (tails that the chunks being written replace). */
    public static void delete(Connection c, List<long[]> keys) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                DELETE FROM scalar_chunk c USING unnest(?::bigint[], ?::bigint[]) AS t(series_id, first_step)
                WHERE c.series_id = t.series_id AND c.first_step = t.first_step""")) {
            Long[] ids = new Long[keys.size()];
            Long[] firsts = new Long[keys.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = keys.get(i)[0];
                firsts[i] = keys.get(i)[1];
            }
            ps.setArray(1, c.createArrayOf("int8", ids));
            ps.setArray(2, c.createArrayOf("int8", firsts));
            ps.executeUpdate();
        }
    }

    /** Deletes the series' chunks that start at or after {@code step}. */
    public static void deleteFrom(Connection c, long seriesId, long step) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM scalar_chunk WHERE series_id = ? AND first_step >= ?")) {
            ps.setLong(1, seriesId);
            ps.setLong(2, step);
            ps.executeUpdate();
        }
    }

    /** The chunk that ends at or after {@code step} (after {@link #deleteFrom}, the one straddling it), or null. */
    public static Stored reaching(Connection c, long seriesId, long step) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT first_step, steps, wall_times, vals FROM scalar_chunk WHERE series_id = ? AND last_step >= ?")) {
            ps.setLong(1, seriesId);
            ps.setLong(2, step);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Stored(rs.getLong(1), points(rs.getArray(2), rs.getArray(3), rs.getArray(4)))
                        : null;
            }
        }
    }

    /** Replaces the points of the chunk keyed {@code (seriesId, firstStep)}, its roll-up and its {@link SubBlocks} (both columns). */
    public static void rewrite(Connection c, long seriesId, long firstStep, ScalarPoints p) throws SQLException {
        ChunkRollup r = ChunkRollup.of(p, 0, p.size);
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE scalar_chunk SET last_step = ?, point_count = ?, steps = ?, wall_times = ?, vals = ?,
                    min_value = ?, max_value = ?, last_value = ?, last_wall_time = ?, nan_count = ?, inf_count = ?,
                    sub_blocks = ?, wall_blocks = ?
                WHERE series_id = ? AND first_step = ?""")) {
            Long[] steps = new Long[p.size];
            Double[] walls = new Double[p.size];
            Double[] vals = new Double[p.size];
            for (int i = 0; i < p.size; i++) {
                steps[i] = p.steps[i];
                walls[i] = p.wallTimes[i];
                vals[i] = p.values[i];
            }
            ps.setLong(1, p.lastStep());
            ps.setInt(2, p.size);
            ps.setArray(3, c.createArrayOf("int8", steps));
            ps.setArray(4, c.createArrayOf("float8", walls));
            ps.setArray(5, c.createArrayOf("float8", vals));
            ps.setObject(6, r.min(), Types.DOUBLE);
            ps.setObject(7, r.max(), Types.DOUBLE);
            ps.setDouble(8, p.values[p.size - 1]);
            ps.setDouble(9, p.wallTimes[p.size - 1]);
            ps.setInt(10, r.nanCount());
            ps.setInt(11, r.infCount());
            SubBlocks.Summaries summaries = SubBlocks.summarize(p, 0, p.size);
            ps.setBytes(12, summaries == null ? null : summaries.stepBlocks());
            ps.setBytes(13, summaries == null ? null : summaries.wallBlocks());
            ps.setLong(14, seriesId);
            ps.setLong(15, firstStep);
            ps.executeUpdate();
        }
    }

    private static ScalarPoints points(Array steps, Array walls, Array vals) throws SQLException {
        Long[] s = (Long[]) steps.getArray();
        Double[] w = (Double[]) walls.getArray();
        Double[] v = (Double[]) vals.getArray();
        ScalarPoints p = new ScalarPoints(s.length);
        for (int i = 0; i < s.length; i++) {
            p.add(s[i], w[i], v[i]);
        }
        return p;
    }
}
