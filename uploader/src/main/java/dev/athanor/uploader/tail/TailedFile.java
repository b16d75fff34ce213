package dev.athanor.uploader.tail;

import dev.athanor.tfevents.record.TfRecord;
import dev.athanor.tfevents.record.TfRecordReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The upload state of one event file: what the server has committed, where sending continues,
 * and what the last scan and the last read saw. Owned by the upload loop's thread.
 */
public final class TailedFile {

    private final String key;
    private final String runPath;
    private final String fileName;
    private final Path path;
    private final String displayName;

    /** Everything before this offset is durable on the server. */
    long acked;
    /** Offset of the next record to send (a stashed {@link #pending} record starts here). */
    long nextOffset;
    /** Size seen by the last scan. */
    long lastSize;
    /** File length when reading last reached its end; -1 when the file may have more to read. */
    long lengthAtEof = -1;
    /** Bytes of an incomplete record at the end when reading last reached it. */
    long tailPartialBytes;
    /** End of the last skipped corrupt region, so that re-finding it while the file grows is not a new problem. */
    long skipEnd = -1;
    /** Size at which opening failed; the file is tried again when its size changes. */
    long unreadableAtSize = -1;
    /** Its writer is known to be done: an incomplete record at the end is reported, not waited for. */
    boolean complete;
    /** Rewritten (shrank, or another first record): no longer uploaded. */
    boolean failed;
    /**
     * Fingerprint (tfevents' FileHead) of the first record sent or stored of this file; empty until
     * one is known. A later scan that finds another first record on disk found a rewritten file.
     */
    OptionalInt sentHead = OptionalInt.empty();
    /** A record read but not yet sent because the batch was full. */
    TfRecord pending;
    TfRecordReader reader;
    boolean queued;
    private final Set<Long> reportedOffsets = new HashSet<>();

    public TailedFile(String runPath, String fileName, Path path, String displayName) {
        this.key = key(runPath, fileName);
        this.runPath = runPath;
        this.fileName = fileName;
        this.path = path;
        this.displayName = displayName;
    }

    public static String key(String runPath, String fileName) {
        return runPath + '\0' + fileName;
    }

    public String key() {
        return key;
    }

    public String runPath() {
        return runPath;
    }

    public String fileName() {
        return fileName;
    }

    public Path path() {
        return path;
    }

    /** The file relative to the logdir. */
    public String displayName() {
        return displayName;
    }

    public long acked() {
        return acked;
    }

    public long nextOffset() {
        return nextOffset;
    }

    public long lastSize() {
        return lastSize;
    }

    public long tailPartialBytes() {
        return tailPartialBytes;
    }

    public boolean failed() {
        return failed;
    }

    /** True when reading may produce records: never read to the end, grown since, or a record is stashed. */
    public boolean hasData() {
        if (failed || unreadableAtSize == lastSize) {
            return false;
        }
        return pending != null || lengthAtEof < 0 || lastSize != lengthAtEof;
    }

    /** Records an acknowledgement: the server's committed offset only moves forward. */
    public void ack(long committedOffset) {
        if (committedOffset > acked) {
            acked = committedOffset;
        }
    }

    /** Restarts from the server's committed offset (on every (re)connect). */
    void resetTo(long committedOffset) {
        closeReader();
        acked = committedOffset;
        nextOffset = committedOffset;
        lengthAtEof = -1;
        tailPartialBytes = 0;
        unreadableAtSize = -1;
    }

    /** Reports a problem at {@code offset} once, however often a reconnect re-reads it. */
    boolean firstReport(long offset) {
        return reportedOffsets.add(offset);
    }

    void closeReader() {
        pending = null;
        if (reader != null) {
            try {
                reader.close();
            } catch (IOException ignored) {
                // Read-only file: nothing to lose on close.
            }
            reader = null;
        }
    }

    @Override
    public String toString() {
        return displayName;
    }
}
