package dev.athanor.ingest.index;

import dev.athanor.rawlog.Journal;
import dev.athanor.rawlog.JournalEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * Reads a run's journal forward from an offset, up to its durable end, and hands out the appends
 * in order. File names, segment starts and seals are applied to the run's state on the way, so
 * callers see only {@link Appended}. The only class of the indexer that knows the journal's own
 * types: when they move, only its imports change.
 */
final class JournalCursor {

    /** Bytes of journal read at a time; an entry larger than this cannot be read. */
    private static final int READ_BYTES = 4 << 20;

    /** Records {@code [sourceStart, sourceEnd)} of a source file, copied to {@code [segmentStart, segmentEnd)} of a segment. */
    record Appended(String fileName, int segmentSeq, long sourceStart, long sourceEnd, long segmentStart,
                    long segmentEnd, int records) {

        long bytes() {
            return segmentEnd - segmentStart;
        }
    }

    private final Path journal;
    private final long durableEnd;
    private final RunIndexState state;
    private Iterator<Journal.Positioned> batch;
    private long position;
    private long lastStart;
    private String problem;
    private JournalEntry.Resume waitingAt;

    JournalCursor(Path journal, long from, long durableEnd, RunIndexState state) {
        this.journal = journal;
        this.durableEnd = durableEnd;
        this.state = state;
        this.position = from;
        this.lastStart = from;
    }

    /**
     * The next append, or null at the durable end or at bytes that do not read as an entry
     * ({@link #atDurableEnd()} tells which).
     */
    Appended next() throws IOException {
        while (true) {
            Journal.Positioned p = nextPositioned();
            if (p == null) {
                return null;
            }
            if (p.entry() instanceof JournalEntry.Resume r && state.file(state.fileNames.get(r.fileId())).indexedOffset
                    < r.offset()) {
                // The file's bytes before r.offset were committed by an earlier owner of the run
                // (another replica's raw log) and are not indexed yet: indexing on would put this
                // replica's later records first. Stop before the entry; the earlier owner's indexer
                // moves indexed_offset up, and a reloaded state passes it.
                waitingAt = r;
                batch = null;
                return null;
            }
            lastStart = position;
            position = p.end();
            if (p.entry() instanceof JournalEntry.Append a) {
                return new Appended(state.fileNames.get(a.fileId()), a.seq(), a.sourceStart(), a.sourceEnd(),
                        a.segmentStart(), a.segmentEnd(), a.records());
            }
            apply(p.entry());
        }
    }

    /** Journal offset just past the last entry read. */
    long position() {
        return position;
    }

    /** Journal offset where the append last returned by {@link #next()} begins. */
    long startOfLast() {
        return lastStart;
    }

    boolean atDurableEnd() {
        return position >= durableEnd;
    }

    /** The handover the cursor stopped at, waiting for an earlier owner's bytes to be indexed; null if none. */
    JournalEntry.Resume waitingAt() {
        return waitingAt;
    }

    /** Why the journal did not read past {@link #position()} before its durable end. */
    String problem() {
        return problem;
    }

    private Journal.Positioned nextPositioned() throws IOException {
        if (batch == null || !batch.hasNext()) {
            if (position >= durableEnd) {
                return null;
            }
            // Each window starts at the end of the last whole entry: a window may cut one in half.
            Journal.Contents contents = Journal.read(journal, position, Math.min(durableEnd, position + READ_BYTES));
            if (contents.entries().isEmpty()) {
                problem = contents.problem();
                return null;
            }
            batch = contents.entries().iterator();
        }
        return batch.next();
    }

    private void apply(JournalEntry entry) {
        switch (entry) {
            case JournalEntry.FileDef f -> state.fileNames.put(f.fileId(), f.name());
            case JournalEntry.SegmentStart s -> state.segmentStarted(s.seq(), s.name());
            case JournalEntry.Seal s -> state.segmentSealed(s.seq());
            default -> {
            }
        }
    }
}
