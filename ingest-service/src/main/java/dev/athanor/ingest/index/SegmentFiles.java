package dev.athanor.ingest.index;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Opens a raw segment for the indexer to read. The hot file when it is there; implementations may
 * fetch the archived copy of a segment the archive removed from hot storage (a reindex).
 */
@FunctionalInterface
public interface SegmentFiles {

    /** Only the hot log (tests, and setups without an archive). */
    SegmentFiles HOT_ONLY = (hotFile, relativePath) -> FileChannel.open(hotFile, StandardOpenOption.READ);

    /**
     * @param hotFile      where the segment lives in the hot log
     * @param relativePath its path under the hot root (raw_segment.relative_path)
     */
    FileChannel open(Path hotFile, String relativePath) throws IOException;
}
