package dev.athanor.rawlog;

import java.io.IOException;

/**
 * Where the records of raw segments are read from, one verified frame at a time (the index holds
 * each record's offset and length). A segment is named by its path relative to the hot root
 * ({@code <project>/<experiment>[/<run>]/<file>}, raw_segment.relative_path), which names it on
 * every tier.
 *
 * <p>Implementations: {@link HotSegmentSource} (this machine's hot root) and
 * {@link ArchivedSegmentSource} (the archived copy in an object store). The seam for later: a
 * source that asks the ingest replica owning the run over gRPC ("readers ask the writer") is one
 * more implementation of this interface, tried before the archive.
 */
public interface SegmentSource {

    /**
     * The payload of the TFRecord framed at {@code offset}, after verifying the length CRC, the
     * payload CRC and that the payload has {@code length} bytes.
     *
     * @throws java.nio.file.NoSuchFileException when this source does not hold the segment (the
     *                                           caller may try another source)
     * @throws CorruptFrameException             when the bytes there are not that verified frame
     */
    byte[] readFrameAt(String segment, long offset, int length) throws IOException;
}
