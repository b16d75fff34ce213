package dev.athanor.query.blobs.store;

import dev.athanor.query.archive.store.ArchivedSegments;
import dev.athanor.query.common.error.CorruptRawDataException;
import dev.athanor.rawlog.CorruptFrameException;
import dev.athanor.rawlog.HotRoot;
import dev.athanor.rawlog.HotSegmentSource;
import dev.athanor.rawlog.UnsafeHotPathException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads one record from a raw segment by offset, verified by raw-log's frame check (the length
 * the index expects, the length CRC and the payload CRC). The bytes come from the hot file while
 * it exists and from the archived copy once the archive removed it (raw_segment.hot_deleted_at
 * set, or the file vanished between the index read and this one), found through the catalog.
 */
public final class RawSegmentReader {

    private final HotSegmentSource hot;
    private final ArchivedSegments archive;

    public RawSegmentReader(Path hotRoot, ArchivedSegments archive) {
        this.hot = new HotSegmentSource(new HotRoot(hotRoot));
        this.archive = archive;
    }

    /** Where a segment's bytes are, as the catalog says. */
    public record Segment(long id, String relativePath, boolean hotDeleted) {
    }

    public byte[] readRecord(Segment segment, long offset, int expectedLength) {
        String where = "raw segment " + segment.relativePath() + " at offset " + offset;
        if (offset < 0 || expectedLength < 0) {
            throw new CorruptRawDataException(where + ": the index holds an impossible offset or length (" + expectedLength + ")");
        }
        try {
            if (!segment.hotDeleted()) {
                try {
                    return hot.readFrameAt(segment.relativePath(), offset, expectedLength);
                } catch (NoSuchFileException gone) {
                    // Archived and removed since the index was read: the archived copy has the same bytes.
                }
            }
            return archive.readFrameAt(segment.relativePath(), offset, expectedLength);
        } catch (CorruptFrameException | UnsafeHotPathException e) {
            throw new CorruptRawDataException(e.getMessage(), e);
        } catch (IOException e) {
            throw new CorruptRawDataException(where + ": " + e.getMessage(), e);
        }
    }

    public Path hotRoot() {
        return hot.root().root();
    }

    /** True when the hot root is a readable directory (for readiness). */
    public boolean available() {
        return Files.isDirectory(hotRoot()) && Files.isReadable(hotRoot());
    }
}
