package dev.athanor.query.archive.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * Where the restore of one archived segment stands.
 *
 * @param state RESTORING, RESTORED (readable until {@code readableUntil}), EXPIRED, FAILED, or
 *              READABLE (its class needs no restore, or nothing was asked)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RestoreStatus(long runId, long segmentId, String objectKey, String tier, String state,
                            Instant requestedAt, Instant readableUntil, String lastError, String statusUrl) {
}
