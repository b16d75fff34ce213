package dev.athanor.query.views.store;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;

/** A named view of an experiment; {@code state} is the web UI's JSON object, as saved. */
public record SavedView(long id, long experimentId, String name, @JsonRawValue String state, String createdBy,
                        Instant createdAt, String updatedBy, Instant updatedAt) {
}
