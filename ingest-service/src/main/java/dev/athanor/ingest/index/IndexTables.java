package dev.athanor.ingest.index;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.athanor.proto.tensorboard.DataClass;
import dev.athanor.proto.tensorboard.SummaryMetadata;
import dev.athanor.rawlog.SegmentNames;
import dev.athanor.index.write.ChunkPacker;
import dev.athanor.index.write.PgText;
import dev.athanor.index.write.PointRows;
import dev.athanor.index.write.ScalarChunks;
import dev.athanor.index.write.ScalarPoints;
import dev.athanor.index.write.SeriesRollup;
import dev.athanor.index.write.SeriesRows;
import dev.athanor.tfevents.compat.TimeSeries;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Every statement the indexer runs against the index tables (source_file, series, raw_segment,
 * scalar_chunk, tensor_point, blob_sequence_point, run, ingest_problem), on one connection inside
 * the caller's transaction. Point rows are gathered with {@link #addChunk}, {@link #addTensor} and
 * {@link #addBlob} and written by one binary COPY per table in {@link #copyPoints()}.
 */
final class IndexTables {

    private final Connection c;
    private final PointRows points;

    /** {@code points} gathers the transaction's point rows: emptied here, so a failed transaction's rows are not kept. */
    IndexTables(Connection c, PointRows points) {
        this.c = c;
        this.points = points;
        points.discard();
    }

    // ---------------------------------------------------------------- loading a run

    /** Per-file indexed offsets and record counts. */
    void loadFiles(RunIndexState state) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT file_name, indexed_offset, record_count FROM source_file WHERE run_id = ?")) {
            ps.setLong(1, state.identity.runId());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    RunIndexState.FileProgress f = state.file(rs.getString(1));
                    f.indexedOffset = rs.getLong(2);
                    f.recordCount = rs.getLong(3);
                }
            }
        }
    }

    /** The run's series with their roll-ups; their metadata seeds the decoder, as TensorBoard keeps the first. */
    void loadSeries(RunIndexState state) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT id, tag, metadata, %s FROM series WHERE run_id = ?""".formatted(SeriesRollup.COLUMNS))) {
            ps.setLong(1, state.identity.runId());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String tag = rs.getString(2);
                    byte[] metadata = rs.getBytes(3);
                    TimeSeries ts;
                    try {
                        ts = TimeSeries.fromMetadata(tag, metadata == null ? SummaryMetadata.getDefaultInstance()
                                : SummaryMetadata.parseFrom(metadata));
                    } catch (InvalidProtocolBufferException e) {
                        throw new SQLException("series " + rs.getLong(1) + " has unreadable metadata", e);
                    }
                    state.decoder.tags().restore(ts);
                    SeriesState s = new SeriesState(tag, ts);
                    s.id = rs.getLong(1);
                    s.rollup = SeriesRollup.read(rs, 4);
                    state.series.put(tag, s);
                }
            }
        }
    }

    /** The raw_segment ids of the segments the journal named (those not cataloged yet keep id 0). */
    void loadSegmentIds(RunIndexState state) throws SQLException {
        Map<String, Long> ids = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT relative_path, id FROM raw_segment WHERE run_id = ?")) {
            ps.setLong(1, state.identity.runId());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        for (RunIndexState.SegmentProgress seg : state.segments.values()) {
            Long id = ids.get(state.relativePath(seg));
            if (id != null) {
                seg.id = id;
            }
        }
    }

    // ---------------------------------------------------------------- before the points

    /**
     * Inserts the series rows the run does not have yet and learns their ids. A fresh tag whose
     * MD5 another tag of the run already holds (only by construction) is recorded as a problem and
     * its values are left out, rather than failing the transaction on every retry.
     */
    void createSeries(RunIndexState state) throws SQLException {
        List<SeriesState> fresh = state.series.values().stream().filter(s -> s.id == 0).toList();
        if (fresh.isEmpty()) {
            return;
        }
        Map<String, Long> ids = SeriesRows.insert(c, state.identity.runId(), fresh.stream()
                .map(s -> new SeriesRows.NewSeries(s.tag, s.series.pluginName(), storedDataClass(s.series.dataClass()),
                        s.series.metadata().toByteArray(), s.series.fromLegacyValue()))
                .toList());
        for (SeriesState s : fresh) {
            Long id = ids.get(s.tag);
            if (id != null) {
                s.id = id;
                continue;
            }
            state.series.remove(s.tag);
            state.problems.add(new RunIndexState.Problem(null, null, "TAG_HASH_COLLISION",
                    "tag \"%s\" (%d bytes) has the same MD5 as another tag of the run; its values are kept raw, not indexed"
                            .formatted(TagBound.preview(s.tag), TagBound.utf8Length(s.tag))));
        }
    }

    /** Values of plugins TensorBoard does not know are kept as tensors, so their series say so. */
    private static short storedDataClass(DataClass dataClass) {
        return switch (dataClass) {
            case DATA_CLASS_SCALAR -> SeriesRows.SCALAR;
            case DATA_CLASS_BLOB_SEQUENCE -> SeriesRows.BLOB_SEQUENCE;
            default -> SeriesRows.TENSOR;
        };
    }

    /** Mirrors the touched segments into raw_segment, with the CRC32C of each sealed one, and learns their ids. */
    void upsertSegments(RunIndexState state) throws SQLException {
        List<RunIndexState.SegmentProgress> touched = state.segments.values().stream()
                .filter(s -> s.touched || s.id == 0).toList();
        if (touched.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO raw_segment (run_id, relative_path, state, size_bytes, record_count, ingest_node, sealed_at,
                    crc32c)
                VALUES (?, ?, ?, ?, ?, ?, CASE WHEN ? THEN now() END, ?)
                ON CONFLICT (relative_path) DO UPDATE SET state = EXCLUDED.state, size_bytes = EXCLUDED.size_bytes,
                    record_count = EXCLUDED.record_count,
                    sealed_at = coalesce(raw_segment.sealed_at, EXCLUDED.sealed_at),
                    crc32c = coalesce(raw_segment.crc32c, EXCLUDED.crc32c)
                RETURNING id""")) {
            for (RunIndexState.SegmentProgress seg : touched) {
                ps.setLong(1, state.identity.runId());
                ps.setString(2, state.relativePath(seg));
                ps.setString(3, seg.sealed ? "SEALED" : "OPEN");
                ps.setLong(4, seg.size);
                ps.setLong(5, seg.records);
                ps.setString(6, SegmentNames.parse(seg.name).node());
                ps.setBoolean(7, seg.sealed);
                setLong(ps, 8, seg.sealed ? seg.checksum.of(state.directory.resolve(seg.name), seg.size) : null);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    seg.id = rs.getLong(1);
                }
            }
        }
    }

    /** Fetches the last chunk of every touched series whose tail is not in memory yet, in one query. */
    void loadTails(RunIndexState state, int chunkPoints) throws SQLException {
        List<SeriesState> need = state.series.values().stream()
                .filter(s -> !s.scalars.isEmpty() && !s.tailLoaded && s.id != 0 && s.rollup.pointCount() > 0).toList();
        Map<Long, ScalarChunks.Stored> tails = ScalarChunks.partlyFilledTails(c,
                need.stream().map(s -> s.id).toList(), chunkPoints);
        for (SeriesState s : state.series.values()) {
            if (!s.scalars.isEmpty() && !s.tailLoaded) {
                ScalarChunks.Stored tail = tails.get(s.id);
                s.tail = tail == null ? null : tail.points();
                s.tailFirstStep = tail == null ? 0 : tail.firstStep();
                s.tailLoaded = true;
            }
        }
    }

    // ---------------------------------------------------------------- rewinds

    /** Deletes the series' scalar chunks that start at or after {@code step}. */
    void deleteChunksFrom(long seriesId, long step) throws SQLException {
        ScalarChunks.deleteFrom(c, seriesId, step);
    }

    /** The chunk that ends at or after {@code step} (after {@link #deleteChunksFrom}, the one straddling it), or null. */
    ScalarChunks.Stored chunkReaching(long seriesId, long step) throws SQLException {
        return ScalarChunks.reaching(c, seriesId, step);
    }

    /** Replaces the points of the chunk keyed {@code (seriesId, firstStep)}, and its roll-up. */
    void rewriteChunk(long seriesId, long firstStep, ScalarPoints p) throws SQLException {
        ScalarChunks.rewrite(c, seriesId, firstStep, p);
    }

    /** Deletes the series' tensor and blob points at steps >= {@code step}. */
    void deletePointsFrom(long seriesId, long step) throws SQLException {
        for (String table : List.of("tensor_point", "blob_sequence_point")) {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM " + table + " WHERE series_id = ? AND step >= ?")) {
                ps.setLong(1, seriesId);
                ps.setLong(2, step);
                ps.executeUpdate();
            }
        }
    }

    /** Recomputes the series' roll-up from the points stored. */
    void reloadRollup(SeriesState s) throws SQLException {
        s.rollup = SeriesRollup.recompute(c, s.id);
    }

    // ---------------------------------------------------------------- points

    void addChunk(long seriesId, ChunkPacker.Chunk chunk) {
        points.addChunk(seriesId, chunk);
    }

    void addTensor(long seriesId, SeriesState.TensorRow t) {
        points.addTensor(seriesId, t.step(), t.wallTime(), t.dtype(), t.shape(), t.tensor());
    }

    void addBlob(long seriesId, long segmentId, SeriesState.BlobRow b) {
        points.addBlob(seriesId, b.step(), b.wallTime(), segmentId, b.recordOffset(), b.recordLength(), b.blobLengths());
    }

    /** Deletes the chunks keyed {@code {seriesId, firstStep}}: tails that the chunks being written replace. */
    void deleteChunks(List<long[]> keys) throws SQLException {
        ScalarChunks.delete(c, keys);
    }

    /** Writes the point rows gathered so far, one binary COPY per table. */
    void copyPoints() throws SQLException {
        points.copy(c);
    }

    // ---------------------------------------------------------------- after the points

    void updateRollups(List<SeriesState> touched) throws SQLException {
        Map<Long, SeriesRollup> rollups = new HashMap<>();
        touched.forEach(s -> rollups.put(s.id, s.rollup));
        SeriesRollup.write(c, rollups);
    }

    /** Advances the touched files' indexed offsets (and committed offsets, which never go back). */
    void upsertFiles(RunIndexState state, Map<String, Long> committed) throws SQLException {
        List<RunIndexState.FileProgress> touched = state.files.values().stream().filter(f -> f.touched).toList();
        if (touched.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO source_file (run_id, file_name, committed_offset, indexed_offset, record_count)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (run_id, file_name) DO UPDATE SET
                    committed_offset = greatest(source_file.committed_offset, EXCLUDED.committed_offset),
                    indexed_offset = EXCLUDED.indexed_offset, record_count = EXCLUDED.record_count,
                    updated_at = now()""")) {
            for (RunIndexState.FileProgress f : touched) {
                ps.setLong(1, state.identity.runId());
                ps.setString(2, f.name);
                ps.setLong(3, Math.max(f.indexedOffset, committed.getOrDefault(f.name, 0L)));
                ps.setLong(4, f.indexedOffset);
                ps.setLong(5, f.recordCount);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Widens the run's wall-time bounds and sets the hparams the transaction found. */
    void updateRun(RunIndexState state) throws SQLException {
        if (Double.isNaN(state.minWallTime) && state.hparamsJson == null && state.hparamsConfigJson == null
                && state.sessionGroup == null && state.sessionStatus == null && state.sessionStartSecs == null
                && state.sessionEndSecs == null) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE run SET
                    started_at = CASE WHEN ?::float8 IS NULL THEN started_at
                                      ELSE least(coalesce(started_at, to_timestamp(?)), to_timestamp(?)) END,
                    last_event_at = CASE WHEN ?::float8 IS NULL THEN last_event_at
                                      ELSE greatest(coalesce(last_event_at, to_timestamp(?)), to_timestamp(?)) END,
                    hparams = coalesce(?::jsonb, hparams),
                    hparams_config = coalesce(?::jsonb, hparams_config),
                    session_group = coalesce(?, session_group),
                    session_status = coalesce(?, session_status),
                    session_start_secs = coalesce(?, session_start_secs),
                    session_end_secs = coalesce(?, session_end_secs),
                    session_model_uri = coalesce(?, session_model_uri),
                    session_monitor_url = coalesce(?, session_monitor_url)
                WHERE id = ?""")) {
            setDouble(ps, 1, orNull(state.minWallTime));
            setDouble(ps, 2, orNull(state.minWallTime));
            setDouble(ps, 3, orNull(state.minWallTime));
            setDouble(ps, 4, orNull(state.maxWallTime));
            setDouble(ps, 5, orNull(state.maxWallTime));
            setDouble(ps, 6, orNull(state.maxWallTime));
            ps.setString(7, state.hparamsJson);
            ps.setString(8, state.hparamsConfigJson);
            ps.setString(9, PgText.clean(state.sessionGroup));
            ps.setString(10, state.sessionStatus);
            setDouble(ps, 11, state.sessionStartSecs);
            setDouble(ps, 12, state.sessionEndSecs);
            ps.setString(13, PgText.clean(state.sessionModelUri));
            ps.setString(14, PgText.clean(state.sessionMonitorUrl));
            ps.setLong(15, state.identity.runId());
            ps.executeUpdate();
        }
    }

    void insertProblems(RunIndexState state) throws SQLException {
        if (state.problems.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO ingest_problem (run_id, file_name, file_offset, kind, message) VALUES (?, ?, ?, ?, ?)""")) {
            for (RunIndexState.Problem p : state.problems) {
                ps.setLong(1, state.identity.runId());
                ps.setString(2, p.fileName());
                setLong(ps, 3, p.fileOffset());
                ps.setString(4, p.kind());
                ps.setString(5, PgText.clean(p.message()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** A bound the transaction did not see (NaN) is SQL NULL. */
    private static Double orNull(double v) {
        return Double.isNaN(v) ? null : v;
    }

    private static void setDouble(PreparedStatement ps, int i, Double v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.DOUBLE);
        } else {
            ps.setDouble(i, v);
        }
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v);
        }
    }
}
