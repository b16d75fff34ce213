package dev.athanor.query.compare.store;

/**
 * One run's scalar series summarised from the index without reading its points: the series
 * roll-up (count, last, min, max over finite values) and the first step at which the minimum and
 * the maximum were reached (found in the one chunk whose roll-up holds them).
 *
 * @param last    the last value, or null when it is NaN or infinite
 * @param min     null when the series holds no finite value (so are max and the steps)
 */
public record MetricSummary(long runId, String tag, long points, Long lastStep, Double last, Double min, Long minStep,
                            Double max, Long maxStep) {
}
