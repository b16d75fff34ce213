package dev.athanor.archive.catalog;

import dev.athanor.archive.store.StorageTier;
import java.time.Instant;

/** One archive_object row. */
public record ArchivedObject(long id, long segmentId, long runId, String store, StorageTier tier, String uri,
                             String objectKey, Long sizeBytes, Long crc32c, ObjectState state, int attempts,
                             String lastError, Instant nextAttemptAt, Instant verifiedAt, boolean hotDeleted) {
}
