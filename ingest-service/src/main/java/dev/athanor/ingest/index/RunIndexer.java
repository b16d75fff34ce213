package dev.athanor.ingest.index;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.athanor.ingest.rawlog.RunLog;
import dev.athanor.proto.tensorboard.DataClass;
import dev.athanor.proto.tensorboard.Event;
import dev.athanor.proto.tensorboard.SummaryMetadata;
import dev.athanor.rawlog.Journal;
import dev.athanor.rawlog.JournalEntry;
import dev.athanor.tfevents.compat.TimeSeries;
import dev.athanor.tfevents.decode.BlobSequencePoint;
import dev.athanor.tfevents.decode.DecodedValue;
import dev.athanor.tfevents.decode.HParamsExperiment;
import dev.athanor.tfevents.decode.HParamsSessionEnd;
import dev.athanor.tfevents.decode.HParamsSessionStart;
import dev.athanor.tfevents.decode.ScalarPoint;
import dev.athanor.tfevents.decode.TensorPoint;
import dev.athanor.tfevents.record.MaskedCrc32c;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.jboss.logging.Logger;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * Indexes one run from its raw log into PostgreSQL, one transaction at a time: reads journal
 * entries past the indexed position, decodes the records they point at (TensorBoard's migrations
 * via {@code RunDecoder}), and writes scalar chunks, tensors and blob references with binary COPY,
 * together with the series roll-ups and the per-file indexed offsets, in the same transaction.
 *
 * <p>Step rewinds (a step at or below the last step of its series, within a file or across the
 * files of a run) replace every point of the series at steps >= that step, as TensorBoard does.
 */
final class RunIndexer {

    private static final Logger LOG = Logger.getLogger(RunIndexer.class);
    private static final int JOURNAL_READ_BYTES = 4 << 20;

    private final int chunkPoints;
    private final long maxTransactionBytes;
    private final SegmentFiles segmentFiles;

    RunIndexer(int chunkPoints, long maxTransactionBytes, SegmentFiles segmentFiles) {
        this.chunkPoints = chunkPoints;
        this.maxTransactionBytes = maxTransactionBytes;
        this.segmentFiles = segmentFiles;
    }

    // ---------------------------------------------------------------- loading

    /** Loads what the index holds for the run and finds where indexing resumes in the journal. */
    RunIndexState load(Connection c, RunLog log) throws SQLException, IOException {
        RunIndexState state = new RunIndexState(log.identity(), log.directory());
        long runId = log.identity().runId();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT file_name, indexed_offset, record_count FROM source_file WHERE run_id = ?")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    RunIndexState.FileProgress f = state.file(rs.getString(1));
                    f.indexedOffset = rs.getLong(2);
                    f.recordCount = rs.getLong(3);
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT id, tag, metadata, point_count, first_step, last_step, last_value, last_wall_time,
                       min_value, max_value, nan_count, inf_count
                FROM series WHERE run_id = ?""")) {
            ps.setLong(1, runId);
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
        Map<String, Long> segmentIds = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT relative_path, id FROM raw_segment WHERE run_id = ?")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    segmentIds.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        // Everything before the first append that is not fully indexed has been indexed: the
        // indexer commits whole journal entries in order.
        long durable = log.durableJournalSize();
        long pos = 0;
        boolean resumeFound = false;
        while (pos < durable && !resumeFound) {
            Journal.Contents contents = Journal.read(log.journalPath(), pos, Math.min(durable, pos + JOURNAL_READ_BYTES));
            long start = pos;
            for (Journal.Positioned p : contents.entries()) {
                if (p.entry() instanceof JournalEntry.Append a) {
                    RunIndexState.FileProgress f = state.file(state.fileNames.get(a.fileId()));
                    if (a.sourceEnd() > f.indexedOffset) {
                        resumeFound = true;
                        break;
                    }
                    state.indexedDataBytes += a.bytes();
                    RunIndexState.SegmentProgress seg = state.segments.get(a.seq());
                    seg.size = Math.max(seg.size, a.segmentEnd());
                    seg.records += a.records();
                } else {
                    track(state, p.entry());
                }
                start = p.end();
            }
            if (contents.entries().isEmpty()) {
                break;
            }
            pos = start;
        }
        state.journalPosition = pos;
        for (RunIndexState.SegmentProgress seg : state.segments.values()) {
            Long id = segmentIds.get(relativePath(state, seg));
            if (id != null) {
                seg.id = id;
            }
        }
        return state;
    }

    private static void track(RunIndexState state, JournalEntry entry) {
        switch (entry) {
            case JournalEntry.FileDef f -> state.fileNames.put(f.fileId(), f.name());
            case JournalEntry.SegmentStart s -> {
                // A new segment seals the previous one.
                state.segments.values().forEach(prev -> {
                    if (!prev.sealed) {
                        prev.sealed = true;
                        prev.touched = true;
                    }
                    closeChannel(prev);
                });
                RunIndexState.SegmentProgress seg = new RunIndexState.SegmentProgress(s.seq(), s.name());
                seg.touched = true;
                state.segments.put(s.seq(), seg);
            }
            case JournalEntry.Seal s -> {
                RunIndexState.SegmentProgress seg = state.segments.get(s.seq());
                if (seg != null && !seg.sealed) {
                    seg.sealed = true;
                    seg.touched = true;
                }
                if (seg != null) {
                    closeChannel(seg);
                }
            }
            default -> {
            }
        }
    }

    /**
     * A sealed segment gets no more appends: let go of its file so a long-lived run does not hold
     * one descriptor per segment it ever wrote (a later read, say a reindex, reopens it).
     */
    private static void closeChannel(RunIndexState.SegmentProgress seg) {
        if (seg.channel != null) {
            try {
                seg.channel.close();
            } catch (IOException e) {
                LOG.debugf(e, "closing segment %s", seg.name);
            }
            seg.channel = null;
        }
    }

    static String relativePath(RunIndexState state, RunIndexState.SegmentProgress seg) {
        return state.identity.relativeDir() + "/" + seg.name;
    }

    // ---------------------------------------------------------------- one transaction

    /** Outcome of one transaction. */
    record Progress(long dataBytes, long records, boolean caughtUp) {
    }

    /**
     * Indexes journal entries from the state's position, up to the transaction budget, inside the
     * caller's transaction (the caller commits). The state is advanced as if the commit succeeds;
     * on failure the caller must discard it.
     */
    Progress indexSome(Connection c, RunIndexState state, RunLog log, Map<String, Long> committedOffsets)
            throws SQLException, IOException {
        state.resetTransaction();
        long durable = log.durableJournalSize();
        long bytes = 0;
        long records = 0;
        long pos = state.journalPosition;
        RecordSink sink = new RecordSink(c, state);
        outer:
        while (pos < durable && bytes < maxTransactionBytes) {
            Journal.Contents contents = Journal.read(log.journalPath(), pos, Math.min(durable, pos + JOURNAL_READ_BYTES));
            if (contents.entries().isEmpty()) {
                throw new IOException(log.journalPath() + ": no readable entry at durable offset " + pos + ": "
                        + contents.problem());
            }
            for (Journal.Positioned p : contents.entries()) {
                if (bytes >= maxTransactionBytes) {
                    break outer;
                }
                if (p.entry() instanceof JournalEntry.Append a) {
                    records += indexAppend(state, log, a, sink);
                    bytes += a.bytes();
                    state.indexedDataBytes += a.bytes();
                } else {
                    track(state, p.entry());
                }
                pos = p.end();
            }
        }
        flush(c, state, committedOffsets);
        state.journalPosition = pos;
        return new Progress(bytes, records, pos >= durable);
    }

    private long indexAppend(RunIndexState state, RunLog log, JournalEntry.Append a, RecordSink sink)
            throws IOException, SQLException {
        String fileName = state.fileNames.get(a.fileId());
        RunIndexState.FileProgress file = state.file(fileName);
        RunIndexState.SegmentProgress seg = state.segments.get(a.seq());
        seg.size = Math.max(seg.size, a.segmentEnd());
        seg.records += a.records();
        seg.touched = true;
        if (a.sourceEnd() <= file.indexedOffset) {
            return 0;
        }
        if (a.sourceStart() > file.indexedOffset) {
            state.problems.add(new RunIndexState.Problem(fileName, file.indexedOffset, "GAP",
                    "%s: bytes %d to %d were never uploaded (the client skipped them, for example as corrupt)"
                            .formatted(fileName, file.indexedOffset, a.sourceStart())));
        }
        if (seg.channel == null) {
            seg.channel = segmentFiles.open(log.directory().resolve(seg.name), relativePath(state, seg));
        }
        int length = Math.toIntExact(a.segmentEnd() - a.segmentStart());
        ByteBuffer buf = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        long at = a.segmentStart();
        while (buf.hasRemaining()) {
            int n = seg.channel.read(buf, at);
            if (n < 0) {
                throw new IOException(seg.name + ": segment ends before offset " + a.segmentEnd()
                        + " that the journal says is durable");
            }
            at += n;
        }
        byte[] bytes = buf.array();
        if (seg.crcEnd == a.segmentStart()) {
            seg.crc.update(bytes, 0, length);
            seg.crcEnd = a.segmentEnd();
        }
        int off = 0;
        long count = 0;
        while (off < length) {
            long payloadLength = buf.getLong(off);
            if (buf.getInt(off + 8) != MaskedCrc32c.of(bytes, off, 8) || payloadLength < 0
                    || off + 16 + payloadLength > length) {
                throw new IOException("%s: damaged frame at offset %d (journal range %d-%d)"
                        .formatted(seg.name, a.segmentStart() + off, a.segmentStart(), a.segmentEnd()));
            }
            int len = (int) payloadLength;
            if (buf.getInt(off + 12 + len) != MaskedCrc32c.of(bytes, off + 12, len)) {
                throw new IOException("%s: payload CRC mismatch at offset %d".formatted(seg.name, a.segmentStart() + off));
            }
            long sourceOffset = a.sourceStart() + off;
            if (sourceOffset >= file.indexedOffset) {
                sink.record(fileName, sourceOffset, seg.seq, a.segmentStart() + off, bytes, off + 12, len);
                count++;
            }
            off += 16 + len;
        }
        file.indexedOffset = a.sourceEnd();
        file.recordCount += count;
        file.touched = true;
        return count;
    }

    /** Decodes records and routes their values into the series buffers, resolving step rewinds. */
    private final class RecordSink {
        private final Connection c;
        private final RunIndexState state;
        private final SimpleScalarRecord simple = new SimpleScalarRecord();
        private String fileName;
        private long sourceOffset;
        private int segmentSeq;
        private long segmentOffset;
        private int payloadLength;

        RecordSink(Connection c, RunIndexState state) {
            this.c = c;
            this.state = state;
        }

        void record(String fileName, long sourceOffset, int seq, long segmentOffset, byte[] buf, int off, int len)
                throws SQLException {
            this.fileName = fileName;
            this.sourceOffset = sourceOffset;
            this.segmentSeq = seq;
            this.segmentOffset = segmentOffset;
            this.payloadLength = len;
            if (len == 0) {
                problem("EMPTY_RECORD", "%s: record at offset %d is empty (0 bytes); kept raw, not indexed"
                        .formatted(fileName, sourceOffset));
                return;
            }
            if (simple.parse(buf, off, len)) {
                SeriesState s = state.series.get(simple.tag);
                if (s != null && s.series.dataClass() == DataClass.DATA_CLASS_SCALAR) {
                    // The common case, without protobuf objects: same result as the full decoder.
                    wallTime(simple.wallTime);
                    rewindIfNeeded(s, simple.step);
                    s.scalars.add(simple.step, simple.wallTime, simple.value);
                    s.touched = true;
                    return;
                }
            }
            Event event;
            try {
                event = Event.parseFrom(ByteBuffer.wrap(buf, off, len));
            } catch (InvalidProtocolBufferException e) {
                problem("NOT_AN_EVENT", "%s: record at offset %d (%d bytes) is not a tensorboard.Event: %s; kept raw, not indexed"
                        .formatted(fileName, sourceOffset, len, e.getMessage()));
                return;
            }
            if (looksForeign(event)) {
                problem("NOT_AN_EVENT", "%s: record at offset %d (%d bytes) is not a tensorboard.Event: no known field is set; kept raw, not indexed"
                        .formatted(fileName, sourceOffset, len));
                return;
            }
            wallTime(event.getWallTime());
            long problemsBefore = state.decoder.problemCount();
            List<DecodedValue> values = state.decoder.decode(event);
            if (state.decoder.problemCount() > problemsBefore) {
                problem("DECODE", "%s: record at offset %d: %d value(s) did not fit their series and were kept in their own form"
                        .formatted(fileName, sourceOffset, state.decoder.problemCount() - problemsBefore));
            }
            for (DecodedValue v : values) {
                route(v);
            }
        }

        private void wallTime(double wall) {
            if (wall > 0) {
                state.minWallTime = state.minWallTime == null ? wall : Math.min(state.minWallTime, wall);
                state.maxWallTime = state.maxWallTime == null ? wall : Math.max(state.maxWallTime, wall);
            }
        }

        private void route(DecodedValue v) throws SQLException {
            switch (v) {
                case ScalarPoint p -> {
                    SeriesState s = series(p.series());
                    rewindIfNeeded(s, p.step());
                    s.scalars.add(p.step(), p.wallTime(), p.value());
                    s.touched = true;
                }
                case TensorPoint p -> {
                    SeriesState s = series(p.series());
                    rewindIfNeeded(s, p.step());
                    s.tensors.add(new SeriesState.TensorRow(p.step(), p.wallTime(), p.tensor().getDtypeValue(),
                            p.shape(), p.tensor().toByteArray()));
                    s.touched = true;
                }
                case BlobSequencePoint p -> {
                    SeriesState s = series(p.series());
                    rewindIfNeeded(s, p.step());
                    int[] lengths = new int[p.blobs().size()];
                    for (int i = 0; i < lengths.length; i++) {
                        lengths[i] = p.blobs().get(i).size();
                    }
                    s.blobs.add(new SeriesState.BlobRow(p.step(), p.wallTime(), segmentSeq, segmentOffset,
                            payloadLength, lengths));
                    s.touched = true;
                }
                case HParamsExperiment e -> state.hparamsConfigJson = HParamsJson.experiment(e);
                case HParamsSessionStart s -> {
                    state.hparamsJson = HParamsJson.values(s.hparams());
                    state.sessionGroup = s.groupName();
                }
                case HParamsSessionEnd e -> state.sessionStatus = e.status().name();
            }
        }

        private SeriesState series(TimeSeries ts) {
            String tag = PgText.clean(ts.tag());
            SeriesState s = state.series.get(tag);
            if (s == null) {
                s = new SeriesState(tag, ts);
                state.series.put(tag, s);
            }
            return s;
        }

        private void rewindIfNeeded(SeriesState s, long step) throws SQLException {
            if (!s.scalars.isEmpty() && step > s.scalars.lastStep() && s.tensors.isEmpty() && s.blobs.isEmpty()) {
                return; // steps going up: the usual case, decided without boxing
            }
            Long last = s.effectiveLastStep();
            if (last == null || step > last) {
                return;
            }
            s.truncateBuffered(step);
            if (s.id != 0 && s.lastStep != null && step <= s.lastStep) {
                deleteStoredFrom(c, s, step);
            }
        }

        private void problem(String kind, String message) {
            state.problems.add(new RunIndexState.Problem(fileName, sourceOffset, kind, message));
        }
    }

    /** Bytes that parse, but only into unknown fields, are not an Event. */
    private static boolean looksForeign(Event event) {
        return !event.getUnknownFields().asMap().isEmpty()
                && event.getWhatCase() == Event.WhatCase.WHAT_NOT_SET
                && event.getWallTime() == 0.0
                && event.getStep() == 0
                && !event.hasSourceMetadata();
    }

    // ---------------------------------------------------------------- rewind

    /** Removes every stored point of the series at steps >= {@code step} and reloads its roll-up. */
    private void deleteStoredFrom(Connection c, SeriesState s, long step) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "DELETE FROM scalar_chunk WHERE series_id = ? AND first_step >= ?")) {
            ps.setLong(1, s.id);
            ps.setLong(2, step);
            ps.executeUpdate();
        }
        // The chunk that straddles the step keeps its points below it.
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT first_step, steps, wall_times, vals FROM scalar_chunk WHERE series_id = ? AND last_step >= ?")) {
            ps.setLong(1, s.id);
            ps.setLong(2, step);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    long first = rs.getLong(1);
                    ScalarPoints p = points(rs.getArray(2), rs.getArray(3), rs.getArray(4));
                    p.truncateFrom(step);
                    rewriteChunk(c, s.id, first, p);
                }
            }
        }
        for (String table : List.of("tensor_point", "blob_sequence_point")) {
            try (PreparedStatement ps = c.prepareStatement(
                    "DELETE FROM " + table + " WHERE series_id = ? AND step >= ?")) {
                ps.setLong(1, s.id);
                ps.setLong(2, step);
                ps.executeUpdate();
            }
        }
        reloadRollup(c, s);
        s.tail = null;
        s.tailLoaded = false;
        s.rollupStale = true;
    }

    private void rewriteChunk(Connection c, long seriesId, long firstStep, ScalarPoints p) throws SQLException {
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

    private static void reloadRollup(Connection c, SeriesState s) throws SQLException {
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

    // ---------------------------------------------------------------- writing

    private void flush(Connection c, RunIndexState state, Map<String, Long> committedOffsets) throws SQLException {
        long runId = state.identity.runId();
        createSeries(c, state);
        upsertSegments(c, state);
        loadTails(c, state);

        BinaryCopy chunks = new BinaryCopy(1 << 16);
        BinaryCopy tensors = new BinaryCopy(1 << 12);
        BinaryCopy blobs = new BinaryCopy(1 << 10);
        List<long[]> oldTails = new ArrayList<>();
        List<SeriesState> touched = new ArrayList<>();
        for (SeriesState s : state.series.values()) {
            if (!s.touched && !s.rollupStale) {
                continue;
            }
            touched.add(s);
            if (!s.scalars.isEmpty()) {
                writeScalars(s, chunks, oldTails);
            }
            for (SeriesState.TensorRow t : s.tensors) {
                tensors.row(6).int8(s.id).int8(t.step()).float8(t.wallTime()).int2(t.dtype())
                        .int8Array(t.shape(), 0, t.shape().length).bytea(t.tensor());
                addToRollup(s, t.step());
            }
            for (SeriesState.BlobRow b : s.blobs) {
                blobs.row(8).int8(s.id).int8(b.step()).float8(b.wallTime()).int8(state.segments.get(b.segmentSeq()).id)
                        .int8(b.recordOffset()).int4(b.recordLength()).int4(b.blobLengths().length)
                        .int4Array(b.blobLengths());
                addToRollup(s, b.step());
            }
        }
        if (!oldTails.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    DELETE FROM scalar_chunk c USING unnest(?::bigint[], ?::bigint[]) AS t(series_id, first_step)
                    WHERE c.series_id = t.series_id AND c.first_step = t.first_step""")) {
                Long[] ids = new Long[oldTails.size()];
                Long[] firsts = new Long[oldTails.size()];
                for (int i = 0; i < ids.length; i++) {
                    ids[i] = oldTails.get(i)[0];
                    firsts[i] = oldTails.get(i)[1];
                }
                ps.setArray(1, c.createArrayOf("int8", ids));
                ps.setArray(2, c.createArrayOf("int8", firsts));
                ps.executeUpdate();
            }
        }
        copy(c, "COPY scalar_chunk (series_id, first_step, last_step, point_count, steps, wall_times, vals, "
                + "min_value, max_value, first_value, last_value, first_wall_time, last_wall_time, nan_count, inf_count) "
                + "FROM STDIN (FORMAT binary)", chunks);
        copy(c, "COPY tensor_point (series_id, step, wall_time, dtype, shape, tensor) FROM STDIN (FORMAT binary)",
                tensors);
        copy(c, "COPY blob_sequence_point (series_id, step, wall_time, segment_id, record_offset, record_length, "
                + "blob_count, blob_lengths) FROM STDIN (FORMAT binary)", blobs);
        updateRollups(c, touched);
        upsertFiles(c, state, committedOffsets);
        updateRun(c, state);
        insertProblems(c, state);
    }

    private void writeScalars(SeriesState s, BinaryCopy out, List<long[]> oldTails) {
        ScalarPoints fresh = s.scalars;
        ChunkRollup added = ChunkRollup.of(fresh, 0, fresh.size);
        ScalarPoints merged = fresh;
        long mergedFirst;
        if (s.tail != null) {
            oldTails.add(new long[] {s.id, s.tailFirstStep});
            merged = new ScalarPoints(s.tail.size + fresh.size);
            merged.addAll(s.tail);
            merged.addAll(fresh);
        }
        mergedFirst = merged.steps[0];
        int from = 0;
        ScalarPoints newTail = null;
        while (from < merged.size) {
            int to = Math.min(merged.size, from + chunkPoints);
            ChunkRollup r = ChunkRollup.of(merged, from, to);
            out.row(15).int8(s.id).int8(merged.steps[from]).int8(merged.steps[to - 1]).int4(to - from)
                    .int8Array(merged.steps, from, to).float8Array(merged.wallTimes, from, to)
                    .float8Array(merged.values, from, to).float8OrNull(r.min).float8OrNull(r.max)
                    .float8(merged.values[from]).float8(merged.values[to - 1])
                    .float8(merged.wallTimes[from]).float8(merged.wallTimes[to - 1])
                    .int4(r.nanCount).int4(r.infCount);
            if (to - from < chunkPoints) {
                newTail = new ScalarPoints(to - from);
                for (int i = from; i < to; i++) {
                    newTail.add(merged.steps[i], merged.wallTimes[i], merged.values[i]);
                }
            }
            from = to;
        }
        s.tail = newTail;
        s.tailFirstStep = newTail == null ? 0 : newTail.steps[0];
        s.tailLoaded = true;
        // Series roll-up over every point.
        s.pointCount += fresh.size;
        s.firstStep = s.firstStep == null ? mergedFirst : Math.min(s.firstStep, fresh.steps[0]);
        s.lastStep = s.lastStep == null ? fresh.lastStep() : Math.max(s.lastStep, fresh.lastStep());
        s.lastValue = fresh.values[fresh.size - 1];
        s.lastWallTime = fresh.wallTimes[fresh.size - 1];
        if (added.min != null) {
            s.minValue = s.minValue == null ? added.min : Math.min(s.minValue, added.min);
            s.maxValue = s.maxValue == null ? added.max : Math.max(s.maxValue, added.max);
        }
        s.nanCount += added.nanCount;
        s.infCount += added.infCount;
    }

    private static void addToRollup(SeriesState s, long step) {
        s.pointCount++;
        s.firstStep = s.firstStep == null ? step : Math.min(s.firstStep, step);
        s.lastStep = s.lastStep == null ? step : Math.max(s.lastStep, step);
    }

    private void createSeries(Connection c, RunIndexState state) throws SQLException {
        List<SeriesState> fresh = state.series.values().stream().filter(s -> s.id == 0).toList();
        if (fresh.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO series (run_id, tag, plugin, data_class, metadata) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (run_id, tag) DO NOTHING""")) {
            for (SeriesState s : fresh) {
                ps.setLong(1, state.identity.runId());
                ps.setString(2, s.tag);
                ps.setString(3, PgText.clean(s.series.pluginName()));
                ps.setShort(4, (short) storedDataClass(s.series.dataClass()));
                ps.setBytes(5, s.series.metadata().toByteArray());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT id, tag FROM series WHERE run_id = ? AND tag = ANY(?)")) {
            ps.setLong(1, state.identity.runId());
            ps.setArray(2, c.createArrayOf("text", fresh.stream().map(s -> s.tag).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    state.series.get(rs.getString(2)).id = rs.getLong(1);
                }
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

    private void upsertSegments(Connection c, RunIndexState state) throws SQLException {
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
                ps.setString(2, relativePath(state, seg));
                ps.setString(3, seg.sealed ? "SEALED" : "OPEN");
                ps.setLong(4, seg.size);
                ps.setLong(5, seg.records);
                ps.setString(6, nodeOf(seg.name));
                ps.setBoolean(7, seg.sealed);
                Long crc = seg.sealed ? sealedCrc32c(state, seg) : null;
                if (crc == null) {
                    ps.setNull(8, Types.BIGINT);
                } else {
                    ps.setLong(8, crc);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    seg.id = rs.getLong(1);
                }
            }
        }
    }

    /**
     * CRC32C of a sealed segment, recorded so the archive can prove its copy end to end. Usually
     * computed on the way while indexing; when the indexer started mid-segment (a restart), the
     * hot file is read once. Null when the file is not here (archived, or on another volume).
     */
    private static Long sealedCrc32c(RunIndexState state, RunIndexState.SegmentProgress seg) {
        if (seg.crcEnd == seg.size) {
            return seg.crc.getValue();
        }
        Path file = state.directory.resolve(seg.name);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() != seg.size) {
                LOG.warnf("%s: holds %d bytes, the journal says %d; no CRC32C recorded", file, ch.size(), seg.size);
                return null;
            }
            CRC32C crc = new CRC32C();
            ByteBuffer buf = ByteBuffer.allocate(1 << 20);
            long at = 0;
            while (at < seg.size) {
                buf.clear();
                int n = ch.read(buf, at);
                if (n < 0) {
                    break;
                }
                buf.flip();
                crc.update(buf);
                at += n;
            }
            return crc.getValue();
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            LOG.warnf("%s: cannot read it for its CRC32C: %s", file, e.getMessage());
            return null;
        }
    }

    /** The node part of a segment name (events.out.tfevents.SECONDS.NODE.SEQ.athanor). */
    private static String nodeOf(String segmentName) {
        String[] parts = segmentName.split("\\.");
        return parts.length >= 7 ? String.join(".", java.util.Arrays.copyOfRange(parts, 4, parts.length - 2)) : "";
    }

    /** Fetches the last chunk of every touched series whose tail is not in memory yet, in one query. */
    private void loadTails(Connection c, RunIndexState state) throws SQLException {
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

    private static void copy(Connection c, String sql, BinaryCopy data) throws SQLException {
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

    private static void updateRollups(Connection c, List<SeriesState> touched) throws SQLException {
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

    private static void upsertFiles(Connection c, RunIndexState state, Map<String, Long> committed)
            throws SQLException {
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

    private static void updateRun(Connection c, RunIndexState state) throws SQLException {
        if (state.minWallTime == null && state.hparamsJson == null && state.hparamsConfigJson == null
                && state.sessionGroup == null && state.sessionStatus == null) {
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
                    session_status = coalesce(?, session_status)
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
            ps.setLong(11, state.identity.runId());
            ps.executeUpdate();
        }
    }

    private static void insertProblems(Connection c, RunIndexState state) throws SQLException {
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
