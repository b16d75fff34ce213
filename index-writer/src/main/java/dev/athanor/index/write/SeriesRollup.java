package dev.athanor.index.write;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Map;

/**
 * A series row's roll-up of every stored point (all data classes): count, first and last step,
 * the last scalar value and its wall time, min/max over finite values, NaN and infinity counts.
 * Searches, sorts and summaries read these columns instead of the points, so they are kept in
 * step with the point tables by whoever writes points: {@link #addScalars}, {@link #addPoint},
 * then {@link #write}.
 */
public final class SeriesRollup {

    /** The roll-up columns of {@code series}, in the order {@link #read(ResultSet, int)} expects. */
    public static final String COLUMNS =
            "point_count, first_step, last_step, last_value, last_wall_time, min_value, max_value, nan_count, inf_count";

    private long pointCount;
    private Long firstStep;
    private Long lastStep;
    private Double lastValue;
    private Double lastWallTime;
    private Double minValue;
    private Double maxValue;
    private long nanCount;
    private long infCount;

    /** The roll-up of a series with no points. */
    public SeriesRollup() {
    }

    public long pointCount() {
        return pointCount;
    }

    /** Step of the last stored point; null when there is none. */
    public Long lastStep() {
        return lastStep;
    }

    /** Adds scalar points written as chunks; {@code packedFirstStep} is the first step of those chunks. */
    public void addScalars(ScalarPoints fresh, long packedFirstStep) {
        ChunkRollup added = ChunkRollup.of(fresh, 0, fresh.size);
        pointCount += fresh.size;
        firstStep = firstStep == null ? packedFirstStep : Math.min(firstStep, fresh.steps[0]);
        lastStep = lastStep == null ? fresh.lastStep() : Math.max(lastStep, fresh.lastStep());
        lastValue = fresh.values[fresh.size - 1];
        lastWallTime = fresh.wallTimes[fresh.size - 1];
        if (added.min() != null) {
            minValue = minValue == null ? added.min() : Math.min(minValue, added.min());
            maxValue = maxValue == null ? added.max() : Math.max(maxValue, added.max());
        }
        nanCount += added.nanCount();
        infCount += added.infCount();
    }

    /** Adds one tensor or blob point (they carry no value to roll up). */
    public void addPoint(long step) {
        pointCount++;
        firstStep = firstStep == null ? step : Math.min(firstStep, step);
        lastStep = lastStep == null ? step : Math.max(lastStep, step);
    }

    /** Reads the roll-up from {@link #COLUMNS} selected starting at column {@code first}. */
    public static SeriesRollup read(ResultSet rs, int first) throws SQLException {
        SeriesRollup r = new SeriesRollup();
        r.pointCount = rs.getLong(first);
        r.firstStep = (Long) rs.getObject(first + 1);
        r.lastStep = (Long) rs.getObject(first + 2);
        r.lastValue = (Double) rs.getObject(first + 3);
        r.lastWallTime = (Double) rs.getObject(first + 4);
        r.minValue = (Double) rs.getObject(first + 5);
        r.maxValue = (Double) rs.getObject(first + 6);
        r.nanCount = rs.getLong(first + 7);
        r.infCount = rs.getLong(first + 8);
        return r;
    }

    /** The stored roll-up of one series. */
    public static SeriesRollup load(Connection c, long seriesId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM series WHERE id = ?")) {
            ps.setLong(1, seriesId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("series " + seriesId + " does not exist");
                }
                return read(rs, 1);
            }
        }
    }

    /** The roll-up recomputed from the points stored (after a rewind deleted some). */
    public static SeriesRollup recompute(Connection c, long seriesId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT
                  (SELECT coalesce(sum(point_count), 0) FROM scalar_chunk WHERE series_id = ?1)
                    + (SELECT count(*) FROM tensor_point WHERE series_id = ?1)
                    + (SELECT count(*) FROM blob_sequence_point WHERE series_id = ?1),
                  least((SELECT min(first_step) FROM scalar_chunk WHERE series_id = ?1),
                        (SELECT min(step) FROM tensor_point WHERE series_id = ?1),
                        (SELECT min(step) FROM blob_sequence_point WHERE series_id = ?1)),
                  greatest((SELECT max(last_step) FROM scalar_chunk WHERE series_id = ?1),
                           (SELECT max(step) FROM tensor_point WHERE series_id = ?1),
                           (SELECT max(step) FROM blob_sequence_point WHERE series_id = ?1)),
                  (SELECT last_value FROM scalar_chunk WHERE series_id = ?1 ORDER BY first_step DESC LIMIT 1),
                  (SELECT last_wall_time FROM scalar_chunk WHERE series_id = ?1 ORDER BY first_step DESC LIMIT 1),
                  (SELECT min(min_value) FROM scalar_chunk WHERE series_id = ?1),
                  (SELECT max(max_value) FROM scalar_chunk WHERE series_id = ?1),
                  (SELECT coalesce(sum(nan_count), 0) FROM scalar_chunk WHERE series_id = ?1),
                  (SELECT coalesce(sum(inf_count), 0) FROM scalar_chunk WHERE series_id = ?1)
                """.replace("?1", "?"))) {
            int params = ps.getParameterMetaData().getParameterCount();
            for (int i = 1; i <= params; i++) {
                ps.setLong(i, seriesId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return read(rs, 1);
            }
        }
    }

    /** Stores the roll-ups of the given series, keyed by series id, in one batch. */
    public static void write(Connection c, Map<Long, SeriesRollup> bySeries) throws SQLException {
        if (bySeries.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE series SET point_count = ?, first_step = ?, last_step = ?, last_value = ?, last_wall_time = ?,
                    min_value = ?, max_value = ?, nan_count = ?, inf_count = ? WHERE id = ?""")) {
            for (Map.Entry<Long, SeriesRollup> e : bySeries.entrySet()) {
                SeriesRollup r = e.getValue();
                ps.setLong(1, r.pointCount);
                ps.setObject(2, r.firstStep, Types.BIGINT);
                ps.setObject(3, r.lastStep, Types.BIGINT);
                ps.setObject(4, r.lastValue, Types.DOUBLE);
                ps.setObject(5, r.lastWallTime, Types.DOUBLE);
                ps.setObject(6, r.minValue, Types.DOUBLE);
                ps.setObject(7, r.maxValue, Types.DOUBLE);
                ps.setLong(8, r.nanCount);
                ps.setLong(9, r.infCount);
                ps.setLong(10, e.getKey());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    @Override
    public String toString() {
        return "n=%d first=%s last_step=%s last=%s last_wall=%s min=%s max=%s nan=%d inf=%d".formatted(pointCount,
                firstStep, lastStep, lastValue, lastWallTime, minValue, maxValue, nanCount, infCount);
    }
}
