package dev.athanor.ingest.rawlog;

import com.google.protobuf.ByteString;
import dev.athanor.ingest.catalog.InvalidInputException;
import dev.athanor.ingest.ownership.FencedException;
import dev.athanor.ingest.ownership.RunLease;
import dev.athanor.rawlog.HotRoot;
import dev.athanor.rawlog.Journal;
import dev.athanor.rawlog.JournalEntry;
import dev.athanor.rawlog.SegmentNames;
import dev.athanor.tfevents.record.FileHead;
import dev.athanor.tfevents.record.TfRecord;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The hot raw log of one run: TFRecord segments in the run's directory plus the journal that maps
 * uploaded (file, offset range) to (segment, offset range).
 *
 * <p>Appends write frames to the open segment (page cache) and queue journal entries; the
 * {@link GroupCommitter} later makes them durable for many runs at once: segments are fsynced
 * first, then the journal entries are written and fsynced, so every journal entry points at bytes
 * that are on disk. Only then are the appends acknowledged. On open, anything past the journal
 * (a crash between write and commit) is cut off, so segments hold exactly the acknowledged bytes.
 *
 * <p>Fencing and handover: appends happen under this replica's lease on the run ({@link #takeOver}),
 * which writes the lease's epoch into the journal and continues every source file from the offsets
 * the {@link CommitLedger} says are committed (by any earlier owner). A journaled commit is
 * acknowledged and shown to readers (the indexer) only once the ledger recorded it, which it does
 * only while the lease is still this replica's; a commit the ledger refuses is cut back out. On
 * open, the journal is cut back to what the ledger recorded for its epochs, so a batch fsynced but
 * never acknowledged here cannot also be written by the run's next owner.
 */
public final class RunLog implements Closeable {

    private static final Logger LOG = Logger.getLogger(RunLog.class);
    /** Most bytes a batch may skip past the end of a file's stored bytes (an uploader's resync over corruption). */
    public static final long MAX_GAP_BYTES = 1L << 30;
    /** Largest source offset taken (1 PiB): far beyond any event file, and far from overflowing offset sums. */
    public static final long MAX_SOURCE_OFFSET = 1L << 50;

    /** Upload progress of one source file. */
    static final class SourceFile {
        final int id;
        final String name;
        /** End of the last byte written to a segment (durable or not): the dedup horizon. */
        long appended;
        /** End of the last byte made durable and journaled: what acks report. */
        long durable;
        /** The file's fingerprint (FileHead) once its first record passed through here; null otherwise. */
        Integer head;

        SourceFile(int id, String name) {
            this.id = id;
            this.name = name;
        }
    }

    /** A segment of this run. */
    public record SegmentInfo(int seq, String name) {
    }

    private record Waiter(SourceFile file, long needed, CompletableFuture<Long> future) {
    }

    private static final class OpenSegment {
        final int seq;
        final String name;
        /** Null while the file is closed to save a descriptor (see {@link #releaseFilesIfIdle}). */
        FileChannel channel;
        final long openedMillis;
        long size;

        OpenSegment(int seq, String name, FileChannel channel, long openedMillis) {
            this.seq = seq;
            this.name = name;
            this.channel = channel;
            this.openedMillis = openedMillis;
        }
    }

    /** What one group commit takes from this run. */
    record PendingCommit(List<JournalEntry> entries, List<Waiter> waiters, List<FileChannel> toSync,
                         List<FileChannel> toClose, boolean syncDirectory) {
        boolean isEmpty() {
            return entries.isEmpty() && waiters.isEmpty() && toClose.isEmpty();
        }

        boolean hasAppends() {
            return entries.stream().anyMatch(e -> e instanceof JournalEntry.Append);
        }
    }

    /** A commit that is in the journal (fsynced) but not yet recorded in the ledger: not acknowledged, not readable. */
    private record Journaled(PendingCommit commit, long journalEnd, long dataBytes) {
    }

    /** Recorded commits now visible to readers, whose acks {@link #release} sends. */
    record Published(long dataBytes, boolean hadEntries, List<PendingCommit> commits) {
    }

    private final RunIdentity identity;
    private final Path dir;
    private final Path journalPath;
    private final String node;
    private final Clock clock;
    private final long maxSegmentBytes;
    private final Duration maxSegmentAge;
    private final OpenRunFiles budget;
    /**
     * Null while closed to save a descriptor. Used by the committer thread between
     * {@link #takePending} and {@link #roundEnded} (and at open); closed only when no commit is in
     * flight, under this log's monitor.
     */
    private volatile FileChannel journal;

    // Guarded by this.
    private final Map<String, SourceFile> files = new HashMap<>();
    private final List<SegmentInfo> segments = new ArrayList<>();
    /** Sealed segments whose hot file the archive removed (found so at recovery). */
    private final Set<String> hotDeletedSegments = new HashSet<>();
    private OpenSegment current;
    private int nextSeq;
    private long lastSegmentSecond;
    private List<JournalEntry> pendingEntries = new ArrayList<>();
    private List<Waiter> waiters = new ArrayList<>();
    private List<FileChannel> closedUnsynced = new ArrayList<>();
    private boolean directoryDirty;
    /**
     * Directories the open created (the run's, and its experiment's or project's when new), whose
     * entries in their parents the first commit fsyncs, so a crash cannot lose the run's directory
     * after its data was acknowledged. Set at open; committer thread only afterwards.
     */
    private List<Path> createdDirectories = List.of();
    private boolean broken;
    /** Where this run is marked as needing recovery after a crash; null where no list is kept (tests, tools). */
    private DirtyRuns dirtyRuns;
    /** The journal position the index has reported holding ({@link #indexedTo}); -1 before any report. */
    private long indexedJournal = -1;
    /** The run's mark exists: set before anything is written, cleared once sealed and indexed to the end. */
    private boolean dirtyMarked;
    boolean queuedForCommit;
    /** Between {@link #takePending} and the end of its round (and while the ledger has not recorded it). */
    private boolean inCommit;
    /** The lease appends happen under; null only where nothing else can write the run (tests, tools). */
    private volatile RunLease lease;
    /** Fencing epoch of the journal's last Epoch entry (0: none, a log no lease ever wrote). */
    private long journalEpoch;
    /** Journal bytes fsynced; past {@link #durableJournalSize} they wait for the ledger. Committer thread only. */
    private long writtenJournalSize;
    /** Commits journaled but not recorded in the ledger, oldest first. Committer thread only. */
    private final List<Journaled> unrecorded = new ArrayList<>();

    /** Journal bytes that are durable: readers (the indexer) stop there. Written by the committer only. */
    private volatile long durableJournalSize;
    /** Segment bytes described by durable journal entries (for the index-lag bound). */
    private volatile long durableDataBytes;

    private RunLog(RunIdentity identity, Path dir, String node, Clock clock, long maxSegmentBytes,
                   Duration maxSegmentAge, FileChannel journal, OpenRunFiles budget) {
        this.identity = identity;
        this.dir = dir;
        this.journalPath = dir.resolve(Journal.FILE_NAME);
        this.node = node;
        this.clock = clock;
        this.maxSegmentBytes = maxSegmentBytes;
        this.maxSegmentAge = maxSegmentAge;
        this.journal = journal;
        this.budget = budget;
    }

    /** Opens the run's raw log, creating it or recovering it after a stop or crash. */
    static RunLog open(HotRoot hotRoot, RunIdentity identity, String node, Clock clock, long maxSegmentBytes,
                       Duration maxSegmentAge) throws IOException {
        return open(hotRoot, identity, node, clock, maxSegmentBytes, maxSegmentAge, HotDeletedSegments.NONE);
    }

    static RunLog open(HotRoot hotRoot, RunIdentity identity, String node, Clock clock, long maxSegmentBytes,
                       Duration maxSegmentAge, HotDeletedSegments hotDeleted) throws IOException {
        return open(hotRoot, identity, node, clock, maxSegmentBytes, maxSegmentAge, hotDeleted, CommitLedger.LOCAL);
    }

    static RunLog open(HotRoot hotRoot, RunIdentity identity, String node, Clock clock, long maxSegmentBytes,
                       Duration maxSegmentAge, HotDeletedSegments hotDeleted, CommitLedger ledger) throws IOException {
        return open(hotRoot, identity, node, clock, maxSegmentBytes, maxSegmentAge, hotDeleted, ledger,
                OpenRunFiles.UNBOUNDED);
    }

    /**
     * Opens the run's raw log; {@code hotDeleted} says which sealed segments the archive has
     * removed from hot storage after verifying their copy (their files are expected to be gone).
     * The files it holds open count against {@code budget}.
     */
    static RunLog open(HotRoot hotRoot, RunIdentity identity, String node, Clock clock, long maxSegmentBytes,
                       Duration maxSegmentAge, HotDeletedSegments hotDeleted, CommitLedger ledger,
                       OpenRunFiles budget) throws IOException {
        Path dir = hotRoot.resolve(identity.relativeDir());
        List<Path> created = new ArrayList<>();
        for (Path d = dir; d != null && !d.equals(hotRoot.root()) && !Files.isDirectory(d); d = d.getParent()) {
            created.add(d);
        }
        Files.createDirectories(dir);
        Path journalPath = dir.resolve(Journal.FILE_NAME);
        boolean exists = Files.exists(journalPath) && Files.size(journalPath) > 0
                && !neverCommitted(dir, journalPath);
        FileChannel journal = FileChannel.open(journalPath, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        budget.opened();
        RunLog log = new RunLog(identity, dir, node, clock, maxSegmentBytes, maxSegmentAge, journal, budget);
        log.createdDirectories = List.copyOf(created);
        log.directoryDirty |= !created.isEmpty();
        try {
            if (exists) {
                log.cutToLedger(ledger);
                log.recover(hotDeleted);
            } else {
                journal.truncate(0);
                byte[] header = Journal.frame(List.of(new JournalEntry.Header(JournalEntry.FORMAT_VERSION,
                        identity.runId(), identity.experimentId(), identity.project(), identity.experiment(),
                        identity.runPath(), node)));
                journal.write(ByteBuffer.wrap(header), 0);
                // Not fsynced here: the run's first commit fsyncs the directory and the journal
                // (header included) before anything of it is acknowledged, so a new run costs no
                // fsync on the stream's thread. A crash before that leaves a journal without a
                // complete header and no segment, which the next open starts afresh (neverCommitted).
                log.directoryDirty = true;
                log.durableJournalSize = header.length;
                log.writtenJournalSize = header.length;
            }
        } catch (IOException | RuntimeException e) {
            log.closeJournal();
            throw e;
        }
        return log;
    }

    /**
     * A journal without one complete entry in a directory without a segment: its header was
     * written but the crash came before the run's first commit fsynced it, so nothing of the run
     * was ever acknowledged and it is started afresh. Anything else without a header is refused.
     */
    private static boolean neverCommitted(Path dir, Path journalPath) throws IOException {
        if (!Journal.read(journalPath, 0, Files.size(journalPath)).entries().isEmpty()) {
            return false;
        }
        try (Stream<Path> listing = Files.list(dir)) {
            boolean noSegment = listing.noneMatch(p -> SegmentNames.isSegment(p.getFileName().toString()));
            if (noSegment) {
                LOG.infof("%s: a header never made durable and no segment (a crash before the run's first commit);"
                        + " the run starts afresh", journalPath);
            }
            return noSegment;
        }
    }

    private void recover(HotDeletedSegments hotDeleted) throws IOException {
        long size = journal.size();
        Journal.Contents contents = Journal.read(journalPath, 0, size);
        if (contents.entries().isEmpty()
                || !(contents.entries().getFirst().entry() instanceof JournalEntry.Header header)) {
            throw new IOException(journalPath + ": journal has no header; refusing to touch this directory");
        }
        if (header.runId() != identity.runId()) {
            throw new IOException(journalPath + ": journal belongs to run " + header.runId() + ", not "
                    + identity.runId());
        }
        if (contents.validEnd() < size) {
            LOG.warnf("%s: cutting %d bytes after the last complete journal entry (%s)", journalPath,
                    size - contents.validEnd(), contents.problem());
            journal.truncate(contents.validEnd());
            journal.force(false);
        }
        Map<Integer, SourceFile> byId = new HashMap<>();
        Map<Integer, Long> segmentEnds = new HashMap<>();
        Map<Integer, Boolean> sealed = new HashMap<>();
        for (Journal.Positioned p : contents.entries()) {
            switch (p.entry()) {
                case JournalEntry.FileDef f -> {
                    SourceFile file = new SourceFile(f.fileId(), f.name());
                    byId.put(f.fileId(), file);
                    files.put(f.name(), file);
                }
                case JournalEntry.SegmentStart s -> {
                    segments.add(new SegmentInfo(s.seq(), s.name()));
                    segmentEnds.put(s.seq(), 0L);
                    nextSeq = Math.max(nextSeq, s.seq() + 1);
                    lastSegmentSecond = Math.max(lastSegmentSecond, s.createdEpochMillis() / 1000);
                }
                case JournalEntry.Append a -> {
                    SourceFile file = byId.get(a.fileId());
                    file.appended = Math.max(file.appended, a.sourceEnd());
                    file.durable = file.appended;
                    segmentEnds.merge(a.seq(), a.segmentEnd(), Math::max);
                    durableDataBytes += a.bytes();
                }
                case JournalEntry.Seal s -> sealed.put(s.seq(), true);
                case JournalEntry.Epoch e -> journalEpoch = e.epoch();
                case JournalEntry.Resume r -> {
                    SourceFile file = byId.get(r.fileId());
                    file.appended = Math.max(file.appended, r.offset());
                    file.durable = file.appended;
                }
                case JournalEntry.Header h -> {
                }
            }
        }
        // A segment is sealed by its Seal entry or by the start of the next one.
        for (int i = 0; i + 1 < segments.size(); i++) {
            sealed.put(segments.get(i).seq(), true);
        }
        Set<String> archived = null;
        // Bytes written after the last journaled append were never acknowledged: cut them off so
        // the segments hold exactly what the journal describes.
        for (SegmentInfo segment : segments) {
            Path path = dir.resolve(segment.name());
            long end = segmentEnds.get(segment.seq());
            if (!Files.exists(path)) {
                if (end == 0) {
                    continue;
                }
                if (!sealed.containsKey(segment.seq())) {
                    throw new IOException(path + ": segment is missing but the journal holds " + end
                            + " bytes of it and it was never sealed (so it cannot have been archived)");
                }
                if (archived == null) {
                    archived = hotDeleted.of(identity);
                }
                if (archived != null && !archived.contains(segment.name())) {
                    throw new IOException(path + ": sealed segment is missing but the catalog does not record it as"
                            + " archived (raw_segment.hot_deleted_at is not set); the journal holds " + end
                            + " bytes of it");
                }
                if (archived == null) {
                    LOG.warnf("%s: sealed segment is missing and the catalog cannot be asked now; assuming the"
                            + " archive removed it after verifying its copy", path);
                }
                hotDeletedSegments.add(segment.name());
                continue;
            }
            long actual = Files.size(path);
            if (actual > end) {
                LOG.infof("%s: cutting %d unacknowledged bytes after offset %d", path, actual - end, end);
                try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
                    ch.truncate(end);
                    ch.force(false);
                }
            } else if (actual < end) {
                throw new IOException(path + ": segment has " + actual + " bytes but the journal says " + end
                        + " are durable");
            }
        }
        List<String> known = segments.stream().map(SegmentInfo::name).toList();
        try (Stream<Path> listing = Files.list(dir)) {
            for (Path p : listing.toList()) {
                String name = p.getFileName().toString();
                if (SegmentNames.isSegment(name) && !known.contains(name) && Files.isRegularFile(p)) {
                    LOG.infof("%s: removing a segment that was never journaled (no acknowledged data)", p);
                    Files.delete(p);
                }
            }
        }
        if (!segments.isEmpty()) {
            SegmentInfo last = segments.getLast();
            if (!sealed.containsKey(last.seq()) && !hotDeletedSegments.contains(last.name())) {
                pendingEntries.add(new JournalEntry.Seal(last.seq(), segmentEnds.get(last.seq())));
            }
        }
        durableJournalSize = journal.size();
        writtenJournalSize = durableJournalSize;
    }

    /**
     * Cuts the journal before its first append that the ledger did not record for the append's
     * epoch: such bytes were fsynced but never acknowledged, and the run's next owner may have
     * received them again. Appends before any Epoch entry (no lease wrote them) are kept.
     */
    private void cutToLedger(CommitLedger ledger) throws IOException {
        if (ledger == CommitLedger.LOCAL) {
            return;  // nothing else writes this run: no other record to agree with
        }
        Journal.Contents contents = Journal.read(journalPath, 0, journal.size());
        long epoch = 0;
        long entryStart = 0;
        Map<Integer, String> names = new HashMap<>();
        Map<Long, Map<String, Long>> recorded = null;
        for (Journal.Positioned p : contents.entries()) {
            switch (p.entry()) {
                case JournalEntry.Epoch e -> epoch = e.epoch();
                case JournalEntry.FileDef f -> names.put(f.fileId(), f.name());
                case JournalEntry.Append a -> {
                    if (epoch == 0) {
                        break;  // written where no lease existed: nothing to compare
                    }
                    if (recorded == null) {
                        try {
                            recorded = ledger.recordedByEpoch(identity.runId());
                        } catch (java.sql.SQLException e) {
                            throw new IOException(journalPath + ": cannot check the journal against the commit ledger"
                                    + " (PostgreSQL): " + e.getMessage(), e);
                        }
                    }
                    long covered = recorded.getOrDefault(epoch, Map.of()).getOrDefault(names.get(a.fileId()), -1L);
                    if (a.sourceEnd() > covered) {
                        LOG.infof("%s: cutting %d journal bytes from offset %d: epoch %d's commit of %s up to %d was"
                                        + " never recorded in the ledger (so never acknowledged)", journalPath,
                                journal.size() - entryStart, entryStart, epoch, names.get(a.fileId()), a.sourceEnd());
                        journal.truncate(entryStart);
                        journal.force(false);
                        return;
                    }
                }
                default -> {
                }
            }
            entryStart = p.end();
        }
    }

    public RunIdentity identity() {
        return identity;
    }

    public Path directory() {
        return dir;
    }

    public Path journalPath() {
        return journalPath;
    }

    public long durableJournalSize() {
        return durableJournalSize;
    }

    public long durableDataBytes() {
        return durableDataBytes;
    }

    /** Durable offset of each source file. */
    public synchronized Map<String, Long> committedOffsets() {
        Map<String, Long> out = new HashMap<>();
        files.forEach((name, f) -> out.put(name, f.durable));
        return out;
    }

    public synchronized boolean isBroken() {
        return broken;
    }

    /** True when appends already happen under this very lease. */
    public boolean heldUnder(RunLease lease) {
        return this.lease == lease;
    }

    /** True once some lease was taken on this open log (a different one needs a freshly opened log). */
    public boolean hadLease() {
        return lease != null;
    }

    /**
     * Appends from now on happen under {@code lease}: its epoch goes into the journal and into the
     * names of new segments, and each source file continues at least at the offset the ledger
     * says is committed ({@code committed}, written before by this or another replica).
     */
    public synchronized void takeOver(RunLease lease, Map<String, Long> committed) throws IOException {
        markDirty();
        if (lease.epoch() != journalEpoch) {
            seal();  // a segment holds one epoch, named in it
            pendingEntries.add(new JournalEntry.Epoch(lease.epoch()));
            journalEpoch = lease.epoch();
        }
        for (Map.Entry<String, Long> c : new java.util.TreeMap<>(committed).entrySet()) {
            SourceFile file = files.get(c.getKey());
            if (file == null) {
                file = new SourceFile(files.size(), c.getKey());
                files.put(c.getKey(), file);
                pendingEntries.add(new JournalEntry.FileDef(file.id, c.getKey()));
            }
            if (c.getValue() > file.appended) {
                file.appended = c.getValue();
                file.durable = c.getValue();
                pendingEntries.add(new JournalEntry.Resume(file.id, c.getValue()));
            }
        }
        this.lease = lease;
    }

    /** The lease appends happen under, or null. */
    public RunLease lease() {
        return lease;
    }

    private void checkLease() throws FencedException {
        RunLease held = lease;
        if (held != null && !held.isValid()) {
            throw new FencedException(held);
        }
    }

    /**
     * Appends the records of a batch that are not yet in the log.
     *
     * @throws InvalidInputException when a record straddles what is already stored (the batch's
     *                               offsets do not line up with the file's record boundaries)
     */
    public synchronized AppendResult append(String fileName, long startOffset, List<ByteString> records)
            throws IOException {
        if (broken) {
            throw new IOException(dir + ": raw log is being recovered after a write failure; retry");
        }
        if (startOffset < 0 || startOffset > MAX_SOURCE_OFFSET) {
            throw new InvalidInputException("batch.start_offset",
                    "must be between 0 and %d, got %d".formatted(MAX_SOURCE_OFFSET, startOffset));
        }
        markDirty();
        SourceFile file = files.get(fileName);
        if (file == null) {
            file = new SourceFile(files.size(), fileName);
            files.put(fileName, file);
            pendingEntries.add(new JournalEntry.FileDef(file.id, fileName));
        }
        long offset = startOffset;
        int firstNew = records.size();
        long firstNewOffset = -1;
        for (int i = 0; i < records.size(); i++) {
            long end = offset + TfRecord.FRAME_OVERHEAD + records.get(i).size();
            if (end <= file.appended) {
                offset = end;
                continue;
            }
            if (offset < file.appended) {
                throw new InvalidInputException("batch.records[" + i + "]",
                        "record at offset %d of %s (ends at %d) overlaps bytes already stored up to offset %d; batches must start at record boundaries"
                                .formatted(offset, fileName, end, file.appended));
            }
            firstNew = i;
            firstNewOffset = offset;
            break;
        }
        if (firstNewOffset > file.appended + MAX_GAP_BYTES) {
            // Uploaders skip only corrupt stretches of a file; a larger hole is a client bug or a
            // forged offset, and once accepted every real batch below it would count as a duplicate.
            throw new InvalidInputException("batch.start_offset",
                    "batch starts at offset %d of %s, %d bytes past the end of what is stored (%d); at most %d bytes may be skipped"
                            .formatted(firstNewOffset, fileName, firstNewOffset - file.appended, file.appended,
                                    MAX_GAP_BYTES));
        }
        if (firstNewOffset == 0) {
            file.head = FileHead.of(records.get(firstNew).toByteArray());
        }
        long batchEnd = startOffset;
        for (ByteString r : records) {
            batchEnd += TfRecord.FRAME_OVERHEAD + r.size();
        }
        int duplicates = firstNew;
        int accepted = records.size() - firstNew;
        CompletableFuture<Long> future = new CompletableFuture<>();
        if (accepted == 0) {
            if (file.durable >= batchEnd) {
                future.complete(file.durable);
            } else {
                waiters.add(new Waiter(file, batchEnd, future));
            }
            return new AppendResult(0, duplicates, batchEnd, future);
        }
        ByteBuffer frames = FrameEncoder.frames(records, firstNew);
        OpenSegment segment = segmentFor(frames.remaining());
        long segmentStart = segment.size;
        try {
            long pos = segmentStart;
            FileChannel channel = channelOf(segment);
            while (frames.hasRemaining()) {
                pos += channel.write(frames, pos);
            }
        } catch (IOException e) {
            broken = true;
            throw e;
        } finally {
            FrameEncoder.release(frames);
        }
        segment.size = segmentStart + (batchEnd - firstNewOffset);
        pendingEntries.add(new JournalEntry.Append(file.id, firstNewOffset, batchEnd, segment.seq, segmentStart,
                segment.size, accepted));
        file.appended = batchEnd;
        waiters.add(new Waiter(file, batchEnd, future));
        return new AppendResult(accepted, duplicates, batchEnd, future);
    }

    /** Keeps the run's recovery mark in {@code dirty}; the caller marked it before opening this log. */
    synchronized void trackDirty(DirtyRuns dirty) {
        this.dirtyRuns = dirty;
        this.dirtyMarked = true;
    }

    private synchronized DirtyRuns dirtyRunsForCommit() {
        return dirtyRuns;
    }

    /** Marks the run as needing recovery before anything of it is written again. Under this log's monitor. */
    private void markDirty() throws IOException {
        if (dirtyRuns != null && !dirtyMarked) {
            dirtyRuns.mark(identity);
            dirtyMarked = true;
        }
    }

    /**
     * The index holds this run's journal up to {@code indexedJournal}: when that is all of it and
     * the run is finished (no open segment) with nothing pending, a crash would leave nothing to
     * do, so its recovery mark is removed and start-up no longer opens its journal.
     */
    public synchronized void indexedTo(long indexedJournal) {
        this.indexedJournal = Math.max(this.indexedJournal, indexedJournal);
        unmarkIfSettled();
    }

    /**
     * Removes the recovery mark once the index holds all of a finished run's journal and nothing is
     * in flight. Checked when the indexer reports and again when a commit round ends: the indexer
     * may hear of the last commit (and report) before the committer's round with this log is over.
     */
    private synchronized void unmarkIfSettled() {
        if (dirtyRuns == null || !dirtyMarked || broken || current != null || queuedForCommit || inCommit
                || !pendingEntries.isEmpty() || !waiters.isEmpty() || !closedUnsynced.isEmpty()
                || indexedJournal < durableJournalSize) {
            return;
        }
        dirtyRuns.unmark(identity.runId());
        dirtyMarked = false;
    }

    /** Closes the open segment (FinishRun): the next append starts a new one. */
    public synchronized void seal() throws IOException {
        if (current != null) {
            pendingEntries.add(new JournalEntry.Seal(current.seq, current.size));
            if (current.channel != null) {
                closedUnsynced.add(current.channel);  // closed (and counted) by the commit that fsyncs it
            }
            current = null;
        }
    }

    /** Names of sealed segments whose hot file is gone because the archive holds the verified copy. */
    public synchronized Set<String> hotDeletedSegments() {
        return Set.copyOf(hotDeletedSegments);
    }

    /** The segments of this run in write order (durable or not). */
    public synchronized List<SegmentInfo> segments() {
        return List.copyOf(segments);
    }

    synchronized boolean hasPending() {
        return !pendingEntries.isEmpty() || !waiters.isEmpty() || !closedUnsynced.isEmpty();
    }

    /** Journaled commits wait for the ledger. Committer thread only. */
    boolean hasUnrecorded() {
        return !unrecorded.isEmpty();
    }

    private OpenSegment segmentFor(int bytes) throws IOException {
        long now = clock.millis();
        if (current != null && ((current.size > 0 && current.size + bytes > maxSegmentBytes)
                || now - current.openedMillis >= maxSegmentAge.toMillis())) {
            seal();
        }
        if (current == null) {
            int seq = nextSeq++;
            // Names must sort in write order even if the clock steps back.
            long second = Math.max(now / 1000, lastSegmentSecond);
            lastSegmentSecond = second;
            String name = journalEpoch > 0 ? SegmentNames.name(second, journalEpoch, node, seq)
                    : SegmentNames.legacyName(second, node, seq);
            FileChannel channel = FileChannel.open(dir.resolve(name), StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE, StandardOpenOption.READ);
            budget.opened();
            current = new OpenSegment(seq, name, channel, now);
            segments.add(new SegmentInfo(seq, name));
            pendingEntries.add(new JournalEntry.SegmentStart(seq, name, now));
            directoryDirty = true;
        }
        return current;
    }

    /** Takes what the next group commit must make durable. */
    synchronized PendingCommit takePending() {
        List<FileChannel> toSync = new ArrayList<>(closedUnsynced);
        if (current != null && current.channel != null) {
            toSync.add(current.channel);
        }
        inCommit = true;
        PendingCommit commit = new PendingCommit(pendingEntries, waiters, toSync, closedUnsynced, directoryDirty);
        pendingEntries = new ArrayList<>();
        waiters = new ArrayList<>();
        closedUnsynced = new ArrayList<>();
        directoryDirty = false;
        queuedForCommit = false;
        return commit;
    }

    /**
     * Makes a taken commit durable: segment data, then the journal entries that describe it. The
     * entries are not yet readable nor acknowledged: {@link #ledgerCommit()} and {@link #publish()}
     * follow. Runs on the committer thread only, so journal writes never interleave.
     */
    void commit(PendingCommit commit) throws IOException {
        DirtyRuns marks = dirtyRunsForCommit();
        if (marks != null) {
            marks.syncMarks();  // the run's recovery mark is durable before any of its journal is
        }
        for (FileChannel ch : commit.toSync()) {
            if (ch.isOpen()) {
                ch.force(false);
            }
        }
        for (FileChannel ch : commit.toClose()) {
            closeCounted(ch);
        }
        if (commit.syncDirectory()) {
            syncDirectory(dir);
        }
        if (!createdDirectories.isEmpty()) {
            for (Path created : createdDirectories) {  // deepest first: each entry, then its parent's
                syncDirectory(created.getParent());
            }
            createdDirectories = List.of();
        }
        long appendedBytes = 0;
        if (!commit.entries().isEmpty()) {
            if (commit.hasAppends()) {
                checkLease();  // cheap local check first; the ledger makes the one that counts
            }
            byte[] framed = Journal.frame(commit.entries());
            long pos = writtenJournalSize;
            ByteBuffer buf = ByteBuffer.wrap(framed);
            FileChannel channel = journal();
            while (buf.hasRemaining()) {
                pos += channel.write(buf, pos);
            }
            channel.force(false);
            writtenJournalSize = pos;
            for (JournalEntry e : commit.entries()) {
                if (e instanceof JournalEntry.Append a) {
                    appendedBytes += a.bytes();
                }
            }
            if (budget.overBound()) {
                // A round may take thousands of runs: their journals must not all stay open until it ends.
                synchronized (this) {
                    closeJournal();
                }
            }
        }
        unrecorded.add(new Journaled(commit, writtenJournalSize, appendedBytes));
    }

    /**
     * What the ledger must record before the journaled commits may be published: the end of each
     * source file they appended to, under the lease's epoch. Empty when they appended nothing
     * (seals, waiters for bytes in flight) or no lease is involved (a log nothing else writes).
     */
    Optional<CommitLedger.Commit> ledgerCommit() {
        RunLease held = lease;
        if (held == null) {
            return Optional.empty();
        }
        Map<Integer, SourceFile> byId = new HashMap<>();
        synchronized (this) {
            files.values().forEach(f -> byId.put(f.id, f));
        }
        Map<String, Long> ends = new HashMap<>();
        // A file's fingerprint goes with the commit that holds its first record, once, not with every round.
        Map<String, Integer> heads = new HashMap<>();
        for (Journaled j : unrecorded) {
            for (JournalEntry e : j.commit().entries()) {
                if (e instanceof JournalEntry.Append a) {
                    SourceFile file = byId.get(a.fileId());
                    ends.merge(file.name, a.sourceEnd(), Math::max);
                    if (a.sourceStart() == 0 && file.head != null) {
                        heads.put(file.name, file.head);
                    }
                }
            }
        }
        return ends.isEmpty() ? Optional.empty()
                : Optional.of(new CommitLedger.Commit(identity.runId(), held.owner(), held.epoch(), ends, heads));
    }

    /**
     * The ledger recorded the journaled commits (or they needed no record): readers may now see
     * them. Their acks go out with {@link #release}, after the indexer has heard of them.
     */
    Published publish() {
        long bytes = 0;
        boolean hadEntries = false;
        List<PendingCommit> commits = new ArrayList<>(unrecorded.size());
        for (Journaled j : unrecorded) {
            durableJournalSize = j.journalEnd();
            durableDataBytes += j.dataBytes();
            bytes += j.dataBytes();
            hadEntries |= !j.commit().entries().isEmpty();
            commits.add(j.commit());
        }
        unrecorded.clear();
        return new Published(bytes, hadEntries, commits);
    }

    /** Sends the acks of published commits; true when some waiter needs bytes of a later commit. */
    boolean release(Published published) {
        boolean again = false;
        for (PendingCommit commit : published.commits()) {
            again |= completed(commit);
        }
        return again;
    }

    /** Advances durable offsets and releases the waiting acks; true when a waiter needs bytes of a later commit. */
    private boolean completed(PendingCommit commit) {
        boolean again = false;
        List<Waiter> ready = new ArrayList<>(commit.waiters().size());
        synchronized (this) {
            Map<Integer, SourceFile> byId = new HashMap<>();
            files.values().forEach(f -> byId.put(f.id, f));
            for (JournalEntry e : commit.entries()) {
                if (e instanceof JournalEntry.Append a) {
                    SourceFile f = byId.get(a.fileId());
                    f.durable = Math.max(f.durable, a.sourceEnd());
                }
            }
            for (Waiter w : commit.waiters()) {
                if (w.file().durable >= w.needed()) {
                    ready.add(w);
                } else {
                    waiters.add(w);  // a duplicate that waits for bytes still in flight
                    again = true;
                }
            }
        }
        for (Waiter w : ready) {
            w.future().complete(w.file().durable);
        }
        return again;
    }

    /**
     * The ledger refused the journaled commits (the lease moved on) or writing them failed: they
     * are cut back out of the journal before anyone read them, every waiting append fails, and
     * the log is reopened (and recovered) on next use.
     */
    void failed(PendingCommit commit, Throwable error) {
        List<Waiter> all = new ArrayList<>(commit == null ? List.of() : commit.waiters());
        for (Journaled j : unrecorded) {
            all.addAll(j.commit().waiters());
        }
        unrecorded.clear();
        try {
            FileChannel channel = journal();
            if (channel.size() > durableJournalSize) {
                channel.truncate(durableJournalSize);
                channel.force(false);
                writtenJournalSize = durableJournalSize;
            }
        } catch (IOException e) {
            LOG.warnf("%s: cutting refused journal entries failed (%s); recovery cuts them against the ledger",
                    journalPath, e.getMessage());
        }
        synchronized (this) {
            broken = true;
            all.addAll(waiters);
            waiters = new ArrayList<>();
        }
        for (Waiter w : all) {
            w.future().completeExceptionally(error);
        }
    }

    @Override
    public void close() throws IOException {
        budget.forget(this);  // before this log's monitor (OpenRunFiles' lock order)
        closeFiles();
    }

    private synchronized void closeFiles() {
        if (current != null) {
            closeCounted(current.channel);
            current.channel = null;
            current = null;
        }
        for (FileChannel ch : closedUnsynced) {
            closeCounted(ch);
        }
        closedUnsynced.clear();
        closeJournal();
    }

    /**
     * The committer's round with this log is over (acks sent or refused). While the run logs hold
     * more files than their bound, or when the run has no open segment (FinishRun sealed it), this
     * log gives back what it does not need until its next batch:
     * the journal, and the segment unless appends still wait to be fsynced through it. Committer
     * thread only.
     */
    void roundEnded() {
        boolean recorded = unrecorded.isEmpty();
        synchronized (this) {
            inCommit = !recorded;
            unmarkIfSettled();
            // A run without an open segment (finished, or sealed at a handover) needs nothing open.
            if (recorded && (budget.overBound() || current == null)) {
                if (pendingEntries.isEmpty() && waiters.isEmpty() && current != null) {
                    closeCounted(current.channel);
                    current.channel = null;
                }
                closeJournal();
            }
        }
    }

    /**
     * Closes the journal and open segment when nothing is in flight (no batch waiting for the
     * committer, no commit under way); the next batch reopens them. True when the log holds no
     * file afterwards.
     */
    synchronized boolean releaseFilesIfIdle() {
        if (queuedForCommit || inCommit || !pendingEntries.isEmpty() || !waiters.isEmpty()
                || !closedUnsynced.isEmpty()) {
            return false;
        }
        if (current != null) {
            closeCounted(current.channel);
            current.channel = null;
        }
        closeJournal();
        return true;
    }

    /** Whether this log holds any file open now (its next batch opens none). */
    public boolean holdsFiles() {
        return openFiles() > 0;
    }

    /** Files this log holds open now (journal, open segment, sealed ones awaiting their fsync). */
    synchronized int openFiles() {
        return (journal != null ? 1 : 0) + (current != null && current.channel != null ? 1 : 0)
                + closedUnsynced.size();
    }

    private FileChannel journal() throws IOException {
        FileChannel channel = journal;
        if (channel == null) {
            channel = FileChannel.open(journalPath, StandardOpenOption.READ, StandardOpenOption.WRITE);
            budget.opened();
            journal = channel;
        }
        return channel;
    }

    /** The open segment's channel, reopened if it was closed while the run was idle. Under this log's monitor. */
    private FileChannel channelOf(OpenSegment segment) throws IOException {
        if (segment.channel == null) {
            segment.channel = FileChannel.open(dir.resolve(segment.name), StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
            budget.opened();
        }
        return segment.channel;
    }

    private void closeJournal() {
        FileChannel channel = journal;
        journal = null;
        closeCounted(channel);
    }

    private void closeCounted(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // Everything written through it was fsynced by a commit before (or is cut by recovery).
            LOG.debugf("closing a file of %s: %s", dir, e.getMessage());
        }
        budget.closed();
    }

    static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms cannot open directories; the data itself is still fsynced.
            LOG.debugf("directory fsync not supported for %s: %s", dir, e.getMessage());
        }
    }
}
