package dev.athanor.query.checks.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.athanor.query.checks.store.RunOutcome;
import java.util.List;

/**
 * The verdict: {@code passed} only when the selection holds at least one run and every assertion
 * holds for every run. A CI client turns it into an exit code.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CheckResponse(boolean passed, String message, List<RunLabel> runs, List<AssertionResult> assertions) {

    public record RunLabel(long id, String run) {
    }

    public record AssertionResult(String assertion, boolean passed, int failedRuns, List<RunOutcome> results) {
    }
}
