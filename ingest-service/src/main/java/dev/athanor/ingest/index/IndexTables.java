package dev.athanor.ingest.index;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.athanor.proto.tensorboard.DataClass;
import dev.athanor.proto.tensorboard.SummaryMetadata;
import dev.athanor.rawlog.SegmentNames;
import dev.athanor.tfevents.compat.TimeSeries;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Every statement the indexer runs against the index tables (source_file, series, raw_segment,
 * scalar_chunk, tensor_point, blob_sequence_point, run, ingest_problem), on one connection inside
 * the caller's transaction. Point rows are gathered with {@link #addChunk}, {@link #addTensor} and
 * {@link #addBlob} and written by one binary COPY per table in {@link #copyPoints()}.
 */
final class IndexTables {

    /** A stored scalar chunk: its first step (its key within the series) and its points. */
    record StoredChunk(long firstStep, ScalarPoints points) {
    }

    private final Connection c;
    private final BinaryCopy chunks = new BinaryCopy(1 << 16);
    private final BinaryCopy tensors = new BinaryCopy(1 << 12);
    private final BinaryCopy blobs = new BinaryCopy(1 << 10);

    IndexTables(Connection c) {
        this.c = c;
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
                SELECT id, tag, metadata, point_count, first_step, last_step, last_value, last_wall_time,
                       min_value, max_value, nan_count, inf_count
                FROM series WHERE run_id = ?""")) {
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
                    s.pointCount = rs.getLong(4);
                    s.firstStep = (Long) rs.getObject(5);
                    s.lastStep = (Long) rs.getObject(6);
                    s.lastValue = (Double) rs.getObject(7);
                    s.lastWallTime = (Double) rs.getObject(8);
                    s.minValue = (Double) rs.getObject(9);
                    s.maxValue = (Double) rs.getObject(10);
                    s.nanCount = rs.getLong(11);
                    s.infCount = rs.getLong(12);
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
     * Inserts the series rows the run does not have yet and learns their ids. Series are keyed by
     * (run_id, tag_hash), an MD5 of the tag, so tags of any length fit the key; a fresh tag whose
     * hash another tag of the run already holds (only by construction) is recorded as a problem
     * and its values are left out, rather than failing the transaction on every retry.
     */
    void createSeries(RunIndexState state) throws SQLException {
        List<SeriesState> fresh = state.series.values().stream().filter(s -> s.id == 0).toList();
        if (fresh.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO series (run_id, tag, plugin, data_class, metadata, from_legacy_value)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (run_id, tag_hash) DO NOTHING""")) {
            for (SeriesState s : fresh) {
                ps.setLong(1, state.identity.runId());
                ps.setString(2, s.tag);
                ps.setString(3, PgText.clean(s.series.pluginName()));
                ps.setShort(4, (short) storedDataClass(s.series.dataClass()));
                ps.setBytes(5, s.series.metadata().toByteArray());
                ps.setBoolean(6, s.series.fromLegacyValue());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT id, tag FROM series WHERE run_id = ? AND tag_hash = ANY(?) AND tag = ANY(?)")) {
            ps.setLong(1, state.identity.runId());
            ps.setArray(2, c.createArrayOf("bytea", fresh.stream().map(s -> TagHash.of(s.tag)).toArray(byte[][]::new)));
            ps.setArray(3, c.createArrayOf("text", fresh.stream().map(s -> s.tag).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    state.series.get(rs.getString(2)).id = rs.getLong(1);
                }
            }
        }
        for (SeriesState s : fresh) {
            if (s.id == 0) {
                state.series.remove(s.tag);
                state.problems.add(new RunIndexState.Problem(null, null, "TAG_HASH_COLLISION",
                        "tag \"%s\" (%d bytes) has the same MD5 as another tag of the run; its values are kept raw, not indexed"
                                .formatted(TagBound.preview(s.tag), TagBound.utf8Length(s.tag))));
            }
        }
    }

    /** Values of plugins TensorBoard does not know are kept as tensors, so their series say so. */
    private static int storedDataClass(DataClass dataClass) {
        return switch (dataClass) {
            case DATA_CLASS_SCALAR -> 1;
            case DATA_CLASS_BLOB_SEQUENCE -> 3;
            default -> 2;
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
                .filter(s -> !s.scalars.isEmpty() && !s.tailLoaded && s.id != 0 && s.pointCount > 0).toList();
        for (SeriesState s : state.series.values()) {
            if (!s.scalars.isEmpty() && !s.tailLoaded && !need.contains(s)) {
                s.tail = null;
                s.tailLoaded = true;
            }
        }
        if (need.isEmpty()) {
            return;
        }
        Map<Long, SeriesState> byId = new HashMap<>();
        need.forEach(s -> byId.put(s.id, s));
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT DISTINCT ON (series_id) series_id, first_step, point_count, steps, wall_times, vals
                FROM scalar_chunk WHERE series_id = ANY(?) ORDER BY series_id, first_step DESC""")) {
            ps.setArray(1, c.createArrayOf("int8", byId.keySet().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    SeriesState s = byId.get(rs.getLong(1));
                    if (rs.getInt(3) < chunkPoints) {
                        s.tail = points(rs.getArray(4), rs.getArray(5), rs.getArray(6));
                        s.tailFirstStep = rs.getLong(2);
                    }
                }
            }
        }
        need.forEach(s -> s.tailLoaded = true);
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

    // ---------------------------------------------------------------- rewinds

    /** Deletes the series' scalar chunks that start at or after {@code step}. */
    void deleteChunksFrom(long seriesId, long step) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM scalar_chunk WHERE series_id = ? AND first_step >= ?")) {
            ps.setLong(1, seriesId);
            ps.setLong(2, step);
            ps.executeUpdate();
        }
    }

    /** The chunk that ends at or after {@code step} (after {@link #deleteChunksFrom}, the one straddling it), or null. */
    StoredChunk chunkReaching(long seriesId, long step) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT first_step, steps, wall_times, vals FROM scalar_chunk WHERE series_id = ? AND last_step >= ?")) {
            ps.setLong(1, seriesId);
            ps.setLong(2, step);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new StoredChunk(rs.getLong(1), points(rs.getArray(2), rs.getArray(3), rs.getArray(4)))
                        : null;
            }
        }
    }

    /** Replaces the points of the chunk keyed {@code (seriesId, firstStep)}, and its roll-up. */
    void rewriteChunk(long seriesId, long firstStep, ScalarPoints p) throws SQLException {
        ChunkRollup r = ChunkRollup.of(p, 0, p.size);
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE scalar_chunk SET last_step = ?, point_count = ?, steps = ?, wall_times = ?, vals = ?,
                    min_value = ?, max_value = ?, last_value = ?, last_wall_time = ?, nan_count = ?, inf_count = ?
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
            setDouble(ps, 6, r.min);
            setDouble(ps, 7, r.max);
            ps.setDouble(8, p.values[p.size - 1]);
            ps.setDouble(9, p.wallTimes[p.size - 1]);
            ps.setInt(10, r.nanCount);
            ps.setInt(11, r.infCount);
            ps.setLong(12, seriesId);
            ps.setLong(13, firstStep);
            ps.executeUpdate();
        }
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
                  (SELECT min(min_value) FROM scalar_chunk WHERE series_id = ?1),
                  (SELECT max(max_value) FROM scalar_chunk WHERE series_id = ?1),
                  (SELECT coalesce(sum(nan_count), 0) FROM scalar_chunk WHERE series_id = ?1),
                  (SELECT coalesce(sum(inf_count), 0) FROM scalar_chunk WHERE series_id = ?1),
                  (SELECT last_value FROM scalar_chunk WHERE series_id = ?1 ORDER BY first_step DESC LIMIT 1),
                  (SELECT last_wall_time FROM scalar_chunk WHERE series_id = ?1 ORDER BY first_step DESC LIMIT 1)
                """.replace("?1", "?"))) {
            int params = ps.getParameterMetaData().getParameterCount();
            for (int i = 1; i <= params; i++) {
                ps.setLong(i, s.id);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                s.pointCount = rs.getLong(1);
                s.firstStep = (Long) rs.getObject(2);
                s.lastStep = (Long) rs.getObject(3);
                s.minValue = (Double) rs.getObject(4);
                s.maxValue = (Double) rs.getObject(5);
                s.nanCount = rs.getLong(6);
                s.infCount = rs.getLong(7);
                s.lastValue = (Double) rs.getObject(8);
                s.lastWallTime = (Double) rs.getObject(9);
            }
        }
    }

    // ---------------------------------------------------------------- points

    void addChunk(long seriesId, ChunkPacker.Chunk chunk) {
        ScalarPoints p = chunk.points();
        int from = chunk.from();
        int to = chunk.to();
        ChunkRollup r = chunk.rollup();
        chunks.row(15).int8(seriesId).int8(p.steps[from]).int8(p.steps[to - 1]).int4(to - from)
                .int8Array(p.steps, from, to).float8Array(p.wallTimes, from, to)
                .float8Array(p.values, from, to).float8OrNull(r.min).float8OrNull(r.max)
                .float8(p.values[from]).float8(p.values[to - 1])
                .float8(p.wallTimes[from]).float8(p.wallTimes[to - 1])
                .int4(r.nanCount).int4(r.infCount);
    }

    void addTensor(long seriesId, SeriesState.TensorRow t) {
        tensors.row(6).int8(seriesId).int8(t.step()).float8(t.wallTime()).int2(t.dtype())
                .int8Array(t.shape(), 0, t.shape().length).bytea(t.tensor());
    }

    void addBlob(long seriesId, long segmentId, SeriesState.BlobRow b) {
        blobs.row(8).int8(seriesId).int8(b.step()).float8(b.wallTime()).int8(segmentId)
                .int8(b.recordOffset()).int4(b.recordLength()).int4(b.blobLengths().length)
                .int4Array(b.blobLengths());
    }

    /** Deletes the chunks keyed {@code {seriesId, firstStep}}: tails that the chunks being written replace. */
    void deleteChunks(List<long[]> keys) throws SQLException {
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

    /** Writes the point rows gathered so far, one binary COPY per table. */
    void copyPoints() throws SQLException {
        copy("COPY scalar_chunk (series_id, first_step, last_step, point_count, steps, wall_times, vals, "
                + "min_value, max_value, first_value, last_value, first_wall_time, last_wall_time, nan_count, inf_count) "
                + "FROM STDIN (FORMAT binary)", chunks);
        copy("COPY tensor_point (series_id, step, wall_time, dtype, shape, tensor) FROM STDIN (FORMAT binary)",
                tensors);
        copy("COPY blob_sequence_point (series_id, step, wall_time, segment_id, record_offset, record_length, "
                + "blob_count, blob_lengths) FROM STDIN (FORMAT binary)", blobs);
    }

    private void copy(String sql, BinaryCopy data) throws SQLException {
        if (data.rows() == 0) {
            return;
        }
        byte[] bytes = data.finish();
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        try {
            copy.writeToCopy(bytes, 0, data.length());
            copy.endCopy();
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    // ---------------------------------------------------------------- after the points

    void updateRollups(List<SeriesState> touched) throws SQLException {
        if (touched.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE series SET point_count = ?, first_step = ?, last_step = ?, last_value = ?, last_wall_time = ?,
                    min_value = ?, max_value = ?, nan_count = ?, inf_count = ? WHERE id = ?""")) {
            for (SeriesState s : touched) {
                ps.setLong(1, s.pointCount);
                setLong(ps, 2, s.firstStep);
                setLong(ps, 3, s.lastStep);
                setDouble(ps, 4, s.lastValue);
                setDouble(ps, 5, s.lastWallTime);
                setDouble(ps, 6, s.minValue);
                setDouble(ps, 7, s.maxValue);
                ps.setLong(8, s.nanCount);
                ps.setLong(9, s.infCount);
                ps.setLong(10, s.id);
                ps.addBatch();
            }
            ps.executeBatch();
        }
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
        if (state.minWallTime == null && state.hparamsJson == null && state.hparamsConfigJson == null
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
            setDouble(ps, 1, state.minWallTime);
            setDouble(ps, 2, state.minWallTime);
            setDouble(ps, 3, state.minWallTime);
            setDouble(ps, 4, state.maxWallTime);
            setDouble(ps, 5, state.maxWallTime);
            setDouble(ps, 6, state.maxWallTime);
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
