package dev.athanor.ingest.index;

import dev.athanor.ingest.rawlog.RunIdentity;
import dev.athanor.tfevents.decode.RunDecoder;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The indexer's view of one run: how far the raw log is indexed (journal position, per-file
 * offsets), the run's series, and what the current transaction has gathered. Loaded from
 * PostgreSQL and the journal; thrown away after a failed transaction and loaded again, so it
 * never disagrees with what was committed.
 */
final class RunIndexState implements AutoCloseable {

    /** Index progress of one source file. */
    static final class FileProgress {
        final String name;
        long indexedOffset;
        long recordCount;
        boolean touched;

        FileProgress(String name) {
            this.name = name;
        }
    }

    /** One raw segment as the index catalogs it. */
    static final class SegmentProgress {
        final int seq;
        final String name;
        long id;
        long size;
        long records;
        boolean sealed;
        boolean touched;
        FileChannel channel;
        final SealChecksum checksum = new SealChecksum();

        SegmentProgress(int seq, String name) {
            this.seq = seq;
            this.name = name;
        }

        /**
         * A sealed segment gets no more appends: let go of its file so a long-lived run does not
         * hold one descriptor per segment it ever wrote (a later read, say a reindex, reopens it).
         */
        void closeChannel() {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // read-only channel: nothing was left unwritten
                }
                channel = null;
            }
        }
    }

    /** A problem found while indexing, stored in ingest_problem. */
    record Problem(String fileName, Long fileOffset, String kind, String message) {
    }

    final RunIdentity identity;
    /** The run's directory in the hot root. */
    final Path directory;
    final RunDecoder decoder;
    final Map<String, SeriesState> series = new LinkedHashMap<>();
    final Map<Integer, String> fileNames = new HashMap<>();
    final Map<String, FileProgress> files = new HashMap<>();
    final Map<Integer, SegmentProgress> segments = new HashMap<>();
    long journalPosition;
    long indexedDataBytes;
    /** When a transaction last ran for this run (System.nanoTime), to drop idle states. */
    volatile long lastUsedNanos = System.nanoTime();

    // Gathered by the current transaction.
    /** Wall-time bounds seen (NaN: none); primitive so that each record does not box two Doubles. */
    double minWallTime = Double.NaN;
    double maxWallTime = Double.NaN;
    String hparamsJson;
    String hparamsConfigJson;
    String sessionGroup;
    String sessionStatus;
    /** What the session start and end records said of the session (TensorBoard shows them). */
    Double sessionStartSecs;
    Double sessionEndSecs;
    String sessionModelUri;
    String sessionMonitorUrl;
    final List<Problem> problems = new ArrayList<>();
    /** Tags over the bound already recorded as a problem: one row per tag, not one per value. */
    final Set<String> refusedTags = new HashSet<>();

    RunIndexState(RunIdentity identity, Path directory) {
        this.identity = identity;
        this.directory = directory;
        this.decoder = new RunDecoder(identity.relativeDir());
    }

    FileProgress file(String name) {
        return files.computeIfAbsent(name, FileProgress::new);
    }

    /** Path of a segment under the hot root, as raw_segment.relative_path names it. */
    String relativePath(SegmentProgress seg) {
        return identity.relativeDir() + "/" + seg.name;
    }

    /** A new segment seals the one before it. */
    void segmentStarted(int seq, String name) {
        segments.values().forEach(prev -> {
            if (!prev.sealed) {
                prev.sealed = true;
                prev.touched = true;
            }
            prev.closeChannel();
        });
        SegmentProgress seg = new SegmentProgress(seq, name);
        seg.touched = true;
        segments.put(seq, seg);
    }

    void segmentSealed(int seq) {
        SegmentProgress seg = segments.get(seq);
        if (seg != null) {
            if (!seg.sealed) {
                seg.sealed = true;
                seg.touched = true;
            }
            seg.closeChannel();
        }
    }

    /** Segment {@code seq} holds {@code records} more records, up to {@code segmentEnd}. */
    SegmentProgress segmentAppended(int seq, long segmentEnd, int records) {
        SegmentProgress seg = segments.get(seq);
        seg.size = Math.max(seg.size, segmentEnd);
        seg.records += records;
        return seg;
    }

    void resetTransaction() {
        minWallTime = Double.NaN;
        maxWallTime = Double.NaN;
        hparamsJson = null;
        hparamsConfigJson = null;
        sessionGroup = null;
        sessionStatus = null;
        sessionStartSecs = null;
        sessionEndSecs = null;
        sessionModelUri = null;
        sessionMonitorUrl = null;
        problems.clear();
        series.values().forEach(SeriesState::clearBuffers);
        files.values().forEach(f -> f.touched = false);
        segments.values().forEach(s -> s.touched = false);
    }

    @Override
    public void close() {
        segments.values().forEach(SegmentProgress::closeChannel);
    }
}
