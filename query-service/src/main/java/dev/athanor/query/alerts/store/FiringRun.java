package dev.athanor.query.alerts.store;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * A run for which a rule fires now, with what fired it.
 *
 * @param chart the web UI's link (a URL hash) to the chart of the series concerned at the firing step
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FiringRun(long ruleId, long runId, String run, long experimentId, String experiment, Object value,
                        Long step, String observed, Instant since, String chart) {

    public FiringRun withChart(String link) {
        return new FiringRun(ruleId, runId, run, experimentId, experiment, value, step, observed, since, link);
    }
}
