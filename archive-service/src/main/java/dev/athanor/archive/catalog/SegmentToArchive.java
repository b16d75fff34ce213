package dev.athanor.archive.catalog;

import java.util.OptionalLong;

/**
 * A sealed hot segment that has no verified copy in the store yet.
 *
 * @param catalogCrc32c the CRC32C ingest recorded when sealing, if it did
 * @param attempts      attempts made so far (0 for a segment never tried)
 */
public record SegmentToArchive(long segmentId, long runId, String relativePath, long catalogSize,
                               OptionalLong catalogCrc32c, int attempts) {
}
