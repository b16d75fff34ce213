package dev.athanor.query.alerts.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/** One entry of a rule's history (a transition or a test notification) with its deliveries. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AlertEventRow(long id, String kind, Long runId, String run, Object value, Long step, String observed,
                            Instant at, List<Delivery> deliveries) {

    /** A delivery and how it went so far. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Delivery(long id, String state, int attempts, Integer lastStatus, String lastError,
                           Instant createdAt, Instant nextAttemptAt, Instant finishedAt) {
    }
}
