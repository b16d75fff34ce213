package dev.athanor.index.write;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes series and their points into the index on one connection, with the same packing, row
 * layouts and roll-ups as ingest's indexer: for query-service's tests and the benchmarks, which
 * need indexed data without streaming it through ingest. Points are gathered and written by
 * {@link #flush()} (one COPY per table, then the touched series' roll-ups), inside the caller's
 * transaction if it has one.
 *
 * <p>Scalars are appended as whole chunks after those stored: a partly filled last chunk already
 * stored stays as it is (readers take chunks of any size), where ingest would refill it.
 */
public final class IndexWriter {

    private final Connection c;
    private final PointRows rows = new PointRows();
    /** Roll-ups read so far, as stored or as this writer's points change them. */
    private final Map<Long, SeriesRollup> rollups = new HashMap<>();
    /** The series whose points this writer added since the last flush: only their roll-ups are written. */
    private final Set<Long> touched = new HashSet<>();

    public IndexWriter(Connection c) {
        this.c = c;
    }

    /** Creates one series of a run and returns its id. */
    public long series(long runId, SeriesRows.NewSeries series) throws SQLException {
        Long id = series(runId, List.of(series)).get(series.tag());
        if (id == null) {
            throw new SQLException("run " + runId + " has a tag with the same MD5 as \"" + series.tag() + "\"");
        }
        return id;
    }

    /** Creates series of a run in one batch and returns their ids by tag. */
    public Map<String, Long> series(long runId, List<SeriesRows.NewSeries> series) throws SQLException {
        Map<String, Long> ids = SeriesRows.insert(c, runId, series);
        rollupsOf(ids.values());
        return ids;
    }

    /**
     * Reads the stored roll-ups of these series in one query, so that appending to many series
     * created elsewhere (a bulk INSERT) costs no query per series.
     */
    public void rollupsOf(Collection<Long> seriesIds) throws SQLException {
        List<Long> unknown = seriesIds.stream().filter(id -> !rollups.containsKey(id)).toList();
        if (unknown.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, " + SeriesRollup.COLUMNS + " FROM series WHERE id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("int8", unknown.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rollups.put(rs.getLong(1), SeriesRollup.read(rs, 2));
                }
            }
        }
    }

    /** Appends scalar points (steps increasing, after the series' last step) in chunks of {@code chunkPoints}. */
    public void scalars(long seriesId, long[] steps, double[] wallTimes, double[] values, int chunkPoints)
            throws SQLException {
        if (steps.length == 0) {
            return;
        }
        ScalarPoints fresh = ScalarPoints.of(steps, wallTimes, values);
        ChunkPacker.Packing packing = ChunkPacker.pack(null, fresh, chunkPoints);
        for (ChunkPacker.Chunk chunk : packing.chunks()) {
            rows.addChunk(seriesId, chunk);
        }
        rollup(seriesId).addScalars(fresh, packing.firstStep());
    }

    /** Appends one tensor point; {@code tensor} is the serialized TensorProto. */
    public void tensor(long seriesId, long step, double wallTime, int dtype, long[] shape, byte[] tensor)
            throws SQLException {
        rows.addTensor(seriesId, step, wallTime, dtype, shape, tensor);
        rollup(seriesId).addPoint(step);
    }

    /** Appends one blob-sequence point: where its record lies in a raw segment. */
    public void blob(long seriesId, long step, double wallTime, long segmentId, long recordOffset, int recordLength,
                     int[] blobLengths) throws SQLException {
        rows.addBlob(seriesId, step, wallTime, segmentId, recordOffset, recordLength, blobLengths);
        rollup(seriesId).addPoint(step);
    }

    /** Writes the points gathered so far and the roll-ups of the series they belong to. */
    public void flush() throws SQLException {
        rows.copy(c);
        Map<Long, SeriesRollup> changed = new HashMap<>();
        for (long id : touched) {
            changed.put(id, rollups.get(id));
        }
        SeriesRollup.write(c, changed);
        // Those written are read again when next needed (the caller's transaction may yet roll
        // back); the untouched ones are still what is stored, so a fill that read many roll-ups
        // in one query keeps them across its flushes.
        rollups.keySet().removeAll(touched);
        touched.clear();
    }

    private SeriesRollup rollup(long seriesId) throws SQLException {
        SeriesRollup r = rollups.get(seriesId);
        if (r == null) {
            r = SeriesRollup.load(c, seriesId);
            rollups.put(seriesId, r);
        }
        touched.add(seriesId);
        return r;
    }
}
