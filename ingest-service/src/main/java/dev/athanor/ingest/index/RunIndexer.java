package dev.athanor.ingest.index;

import dev.athanor.index.write.ChunkPacker;
import dev.athanor.index.write.PointRows;
import dev.athanor.index.write.ScalarChunks;
import dev.athanor.ingest.rawlog.RunLog;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Indexes one run from its raw log into PostgreSQL, one transaction at a time, as a pipeline:
 * {@link JournalCursor} (appends past the indexed position) → {@link SegmentFrameReader} (the
 * checked frames they point at) → {@link RecordRouter} (decoded values into series buffers, step
 * rewinds) → {@link ChunkPacker} (scalar chunks) → {@link IndexTables} (every write, with binary
 * COPY), together with the series roll-ups and the per-file indexed offsets in the same transaction.
 */
final class RunIndexer {

    private final int chunkPoints;
    private final long maxTransactionBytes;
    private final TagBound tagBound;
    private final SegmentFrameReader frameReader;
    /**
     * The point rows of each index thread's transactions: their COPY buffers grow to a usual
     * transaction once per thread, not from 64 KiB again on every pass (a thread indexes one run
     * at a time).
     */
    private final ThreadLocal<PointRows> pointRows = ThreadLocal.withInitial(PointRows::new);

    RunIndexer(int chunkPoints, long maxTransactionBytes, TagBound tagBound, SegmentFiles segmentFiles) {
        this.chunkPoints = chunkPoints;
        this.maxTransactionBytes = maxTransactionBytes;
        this.tagBound = tagBound;
        this.frameReader = new SegmentFrameReader(segmentFiles);
    }

    /** Loads what the index holds for the run and finds where indexing resumes in the journal. */
    RunIndexState load(Connection c, RunLog log) throws SQLException, IOException {
        RunIndexState state = new RunIndexState(log.identity(), log.directory());
        IndexTables tables = new IndexTables(c, pointRows.get());
        tables.loadFiles(state);
        tables.loadSeries(state);
        // Everything before the first append that is not fully indexed has been indexed: the
        // indexer commits whole journal entries in order.
        JournalCursor journal = new JournalCursor(log.journalPath(), 0, log.durableJournalSize(), state);
        JournalCursor.Appended a;
        while ((a = journal.next()) != null && a.sourceEnd() <= state.file(a.fileName()).indexedOffset) {
            state.indexedDataBytes += a.bytes();
            state.segmentAppended(a.segmentSeq(), a.segmentEnd(), a.records());
        }
        state.journalPosition = a == null ? journal.position() : journal.startOfLast();
        tables.loadSegmentIds(state);
        return state;
    }

    /**
     * Outcome of one transaction. {@code waitingFor} names the file whose earlier bytes another
     * owner of the run must index first (the journal stopped at a handover), else null.
     */
    record Progress(long dataBytes, long records, boolean caughtUp, String waitingFor) {

        Progress(long dataBytes, long records, boolean caughtUp) {
            this(dataBytes, records, caughtUp, null);
        }
    }

    /**
     * Indexes journal entries from the state's position, up to the transaction budget, inside the
     * caller's transaction (the caller commits). The state is advanced as if the commit succeeds;
     * on failure the caller must discard it. With {@code oneAppend}, the transaction takes a single
     * journal entry: how the scheduler isolates records PostgreSQL refuses.
     */
    Progress indexSome(Connection c, RunIndexState state, RunLog log, Map<String, Long> committedOffsets,
                       boolean oneAppend) throws SQLException, IOException {
        long budget = oneAppend ? 1 : maxTransactionBytes;
        state.resetTransaction();
        IndexTables tables = new IndexTables(c, pointRows.get());
        RecordRouter router = new RecordRouter(state, tagBound, (series, step) -> dropStoredFrom(tables, series, step));
        JournalCursor journal = new JournalCursor(log.journalPath(), state.journalPosition,
                log.durableJournalSize(), state);
        long bytes = 0;
        long records = 0;
        JournalCursor.Appended a;
        while (bytes < budget && (a = journal.next()) != null) {
            records += indexAppend(state, log, a, router);
            bytes += a.bytes();
            state.indexedDataBytes += a.bytes();
        }
        if (journal.waitingAt() != null) {
            flush(tables, state, committedOffsets);
            state.journalPosition = journal.position();
            String file = state.fileNames.get(journal.waitingAt().fileId());
            return new Progress(bytes, records, false, "%s from offset %d (indexed up to %d)".formatted(file,
                    journal.waitingAt().offset(), state.file(file).indexedOffset));
        }
        if (bytes < budget && !journal.atDurableEnd()) {
            throw new IOException(log.journalPath() + ": no readable entry at durable offset " + journal.position()
                    + ": " + journal.problem());
        }
        flush(tables, state, committedOffsets);
        state.journalPosition = journal.position();
        return new Progress(bytes, records, journal.atDurableEnd());
    }

    /**
     * Passes over the next journal entry without indexing its records, recording why as a located
     * problem: PostgreSQL refused that entry alone, so retrying it would stall the run for ever.
     * Its bytes stay in the raw log (a reindex after a fix picks them up).
     */
    Progress skipAppend(Connection c, RunIndexState state, RunLog log, Map<String, Long> committedOffsets,
                        String refusal) throws SQLException, IOException {
        state.resetTransaction();
        IndexTables tables = new IndexTables(c, pointRows.get());
        JournalCursor journal = new JournalCursor(log.journalPath(), state.journalPosition,
                log.durableJournalSize(), state);
        JournalCursor.Appended a = journal.next();
        if (a == null) {
            return new Progress(0, 0, journal.atDurableEnd());
        }
        RunIndexState.FileProgress file = state.file(a.fileName());
        state.segmentAppended(a.segmentSeq(), a.segmentEnd(), a.records()).touched = true;
        if (a.sourceEnd() > file.indexedOffset) {
            long from = Math.max(a.sourceStart(), file.indexedOffset);
            state.problems.add(new RunIndexState.Problem(a.fileName(), from, "INDEX_REFUSED",
                    "%s: bytes %d to %d (%d records) were refused by the index and are kept raw, not indexed: %s"
                            .formatted(a.fileName(), from, a.sourceEnd(), a.records(), refusal)));
            file.indexedOffset = a.sourceEnd();
            file.touched = true;
        }
        state.indexedDataBytes += a.bytes();
        flush(tables, state, committedOffsets);
        state.journalPosition = journal.position();
        return new Progress(a.bytes(), 0, journal.atDurableEnd());
    }

    /** Routes the records of one append that are past the file's indexed offset; returns how many. */
    private long indexAppend(RunIndexState state, RunLog log, JournalCursor.Appended a, RecordRouter router)
            throws IOException, SQLException {
        RunIndexState.FileProgress file = state.file(a.fileName());
        RunIndexState.SegmentProgress seg = state.segmentAppended(a.segmentSeq(), a.segmentEnd(), a.records());
        seg.touched = true;
        if (a.sourceEnd() <= file.indexedOffset) {
            return 0;
        }
        if (a.sourceStart() > file.indexedOffset) {
            state.problems.add(new RunIndexState.Problem(a.fileName(), file.indexedOffset, "GAP",
                    "%s: bytes %d to %d were never uploaded (the client skipped them, for example as corrupt)"
                            .formatted(a.fileName(), file.indexedOffset, a.sourceStart())));
        }
        SegmentFrameReader.Frames frames = frameReader.read(log.directory(), state.relativePath(seg), seg,
                a.segmentStart(), a.segmentEnd());
        long count = 0;
        for (int i = 0; i < frames.count(); i++) {
            // Segment and source hold the same frames byte for byte, so offsets within the range agree.
            long sourceOffset = a.sourceStart() + frames.frameOffset(i);
            if (sourceOffset >= file.indexedOffset) {
                router.route(a.fileName(), sourceOffset, seg.seq, frames.segmentOffset(i), frames.bytes(),
                        frames.payloadOffset(i), frames.payloadLength(i));
                count++;
            }
        }
        file.indexedOffset = a.sourceEnd();
        file.recordCount += count;
        file.touched = true;
        return count;
    }

    /** A rewind into points earlier transactions wrote: they go, and the straddling chunk keeps what is below the step. */
    private static void dropStoredFrom(IndexTables tables, SeriesState s, long step) throws SQLException {
        tables.deleteChunksFrom(s.id, step);
        ScalarChunks.Stored straddling = tables.chunkReaching(s.id, step);
        if (straddling != null) {
            tables.rewriteChunk(s.id, straddling.firstStep(), ChunkPacker.keptBelow(straddling.points(), step));
        }
        tables.deletePointsFrom(s.id, step);
        tables.reloadRollup(s);
        s.tail = null;
        s.tailLoaded = false;
        s.rollupStale = true;
    }

    /** Writes what the transaction gathered: series and segment rows first, so points can refer to them. */
    private void flush(IndexTables tables, RunIndexState state, Map<String, Long> committedOffsets)
            throws SQLException {
        tables.createSeries(state);
        tables.upsertSegments(state);
        tables.loadTails(state, chunkPoints);
        List<long[]> replacedTails = new ArrayList<>();
        List<SeriesState> touched = new ArrayList<>();
        for (SeriesState s : state.series.values()) {
            if (!s.touched && !s.rollupStale) {
                continue;
            }
            touched.add(s);
            if (!s.scalars.isEmpty()) {
                packScalars(tables, s, replacedTails);
            }
            for (SeriesState.TensorRow t : s.tensors) {
                tables.addTensor(s.id, t);
                s.rollup.addPoint(t.step());
            }
            for (SeriesState.BlobRow b : s.blobs) {
                tables.addBlob(s.id, state.segments.get(b.segmentSeq()).id, b);
                s.rollup.addPoint(b.step());
            }
        }
        tables.deleteChunks(replacedTails);
        tables.copyPoints();
        tables.updateRollups(touched);
        tables.upsertFiles(state, committedOffsets);
        tables.updateRun(state);
        tables.insertProblems(state);
    }

    private void packScalars(IndexTables tables, SeriesState s, List<long[]> replacedTails) {
        if (s.tail != null) {
            replacedTails.add(new long[] {s.id, s.tailFirstStep});
        }
        ChunkPacker.Packing packing = ChunkPacker.pack(s.tail, s.scalars, chunkPoints);
        for (ChunkPacker.Chunk chunk : packing.chunks()) {
            tables.addChunk(s.id, chunk);
        }
        s.tail = packing.newTail();
        s.tailFirstStep = s.tail == null ? 0 : s.tail.steps[0];
        s.tailLoaded = true;
        s.rollup.addScalars(s.scalars, packing.firstStep());
    }
}
