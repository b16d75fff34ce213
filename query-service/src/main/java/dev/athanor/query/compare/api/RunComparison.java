package dev.athanor.query.compare.api;

import java.util.List;

/**
 * Two to six runs side by side: their hparams and their scalar metrics' summaries, each row saying
 * whether the runs differ there, so a table can highlight it.
 *
 * @param runs            the runs in the order asked
 * @param hparams         every hparam any of the runs has, in natural name order
 * @param metrics         every scalar tag any of the runs has (or those asked), in name order
 * @param metricsOmitted  tags left out beyond {@link dev.athanor.query.compare.service.CompareService#MAX_METRICS}
 *                        when none were named
 */
public record RunComparison(long experimentId, List<ComparedRun> runs, List<HparamRow> hparams, List<MetricRow> metrics,
                            int metricsOmitted) {

    /** A run's identity as a table heads its column. */
    public record ComparedRun(long id, String path, String displayName, String color, List<String> labels,
                              String status) {
    }

    /**
     * One hparam: its value per run (in {@link #runs} order; null where a run lacks it or has null)
     * and whether they are not all equal (a run without it differs from one with it).
     */
    public record HparamRow(String name, List<Object> values, boolean differs) {
    }

    /**
     * One scalar tag across the runs.
     *
     * @param goal       {@code min} or {@code max}: what "best" is for this tag
     * @param goalSource {@code name} (guessed from the tag's words, see MetricGoal) or {@code request}
     * @param values     per run in {@link #runs} order; null where the run has no such series
     * @param differs    the runs' last values are not all equal (or some run lacks the tag)
     * @param bestRunId  the run whose best value is the best of all (first such run on a tie), or null
     */
    public record MetricRow(String tag, String goal, String goalSource, List<MetricValues> values, boolean differs,
                            Long bestRunId) {
    }

    /**
     * One run's summary of a tag. {@code best} is {@code min} or {@code max} as the goal says, and
     * {@code bestStep} the first step it was reached at; min, max and best are over finite values
     * (null when there are none); {@code last} is null when the last value is NaN or infinite.
     */
    public record MetricValues(long points, Long lastStep, Double last, Double min, Double max, Double best,
                               Long bestStep) {
    }
}
