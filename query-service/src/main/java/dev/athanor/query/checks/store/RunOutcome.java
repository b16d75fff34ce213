package dev.athanor.query.checks.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * How one run fared against one assertion.
 *
 * @param values what the assertion looked at, keyed by how it is written (for example
 *               {@code metrics.val_accuracy@last}, or {@code nan_count(metrics.loss)} and
 *               {@code first_nan_step(metrics.loss)})
 * @param detail why it failed, when that is not obvious from the values
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunOutcome(long runId, String run, boolean passed, Map<String, Object> values, String detail) {
}
