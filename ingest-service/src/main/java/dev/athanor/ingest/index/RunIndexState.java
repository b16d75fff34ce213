package dev.athanor.ingest.index;

import dev.athanor.ingest.rawlog.RunIdentity;
import dev.athanor.tfevents.decode.RunDecoder;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;

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
        /** CRC32C of the segment's bytes [0, crcEnd), kept while the indexer reads it front to back. */
        final CRC32C crc = new CRC32C();
        long crcEnd;

        SegmentProgress(int seq, String name) {
            this.seq = seq;
            this.name = name;
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
    Double minWallTime;
    Double maxWallTime;
    String hparamsJson;
    String hparamsConfigJson;
    String sessionGroup;
    String sessionStatus;
    final List<Problem> problems = new ArrayList<>();

    RunIndexState(RunIdentity identity, Path directory) {
        this.identity = identity;
        this.directory = directory;
        this.decoder = new RunDecoder(identity.relativeDir());
    }

    FileProgress file(String name) {
        return files.computeIfAbsent(name, FileProgress::new);
    }

    void resetTransaction() {
        minWallTime = null;
        maxWallTime = null;
        hparamsJson = null;
        hparamsConfigJson = null;
        sessionGroup = null;
        sessionStatus = null;
        problems.clear();
        series.values().forEach(SeriesState::clearBuffers);
        files.values().forEach(f -> f.touched = false);
        segments.values().forEach(s -> s.touched = false);
    }

    @Override
    public void close() {
        for (SegmentProgress s : segments.values()) {
            if (s.channel != null) {
                try {
                    s.channel.close();
                } catch (IOException ignored) {
                    // read-only channel
                }
                s.channel = null;
            }
        }
    }
}
