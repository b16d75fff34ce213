package dev.athanor.query.blobs.store;

import dev.athanor.query.archive.store.ArchivedSegments;
import dev.athanor.query.common.error.CorruptRawDataException;
import dev.athanor.rawlog.CorruptFrameException;
import dev.athanor.rawlog.HotRoot;
import dev.athanor.rawlog.HotSegmentSource;
import dev.athanor.rawlog.SegmentSource;
import dev.athanor.rawlog.UnsafeHotPathException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads one record from a raw segment by offset, verified by raw-log's frame check (the length
 * the index expects, the length CRC and the payload CRC). The bytes come, in this order, from a
 * hot root on this machine when one is configured and holds the file (a single-machine setup),
 * from the ingest replica that wrote the segment while it is on that replica's volume (the
 * cluster: query-service never mounts ingest volumes), and from the archived copy once the archive
 * removed it (raw_segment.hot_deleted_at set, or the file vanished between the index read and
 * this one), found through the catalog.
 */
public final class RawSegmentReader {

    private final HotSegmentSource hot;
    private final SegmentSource replicas;
    private final ArchivedSegments archive;

    /** @param replicas reads from the ingest replica holding a segment ({@code RemoteSegmentSource}) */
    public RawSegmentReader(Path hotRoot, SegmentSource replicas, ArchivedSegments archive) {
        this.hot = new HotSegmentSource(new HotRoot(hotRoot));
        this.replicas = replicas;
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
                for (SegmentSource source : List.of(hot, replicas)) {
                    try {
                        return source.readFrameAt(segment.relativePath(), offset, expectedLength);
                    } catch (NoSuchFileException notThere) {
                        // Not on this machine / no replica holds it (any longer): the next tier has the same bytes.
                    }
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
