package dev.athanor.query.alerts.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/** A run for which a rule fires now, with what fired it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FiringRun(long ruleId, long runId, String run, long experimentId, String experiment, Object value,
                        Long step, String observed, Instant since) {
}
