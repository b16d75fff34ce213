package dev.athanor.ingest.ownership;

import java.time.Instant;

/** Who holds a run's lease according to PostgreSQL: where to forward its streams and hot reads. */
public record LeaseHolder(long runId, String owner, String ownerAddress, long epoch, Instant expiresAt) {
}
