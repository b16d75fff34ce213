package dev.athanor.query.tensors.api;

/** One histogram: buckets as rows of [left edge, right edge, count]. */
public record HistogramPoint(long step, double wallTime, double[][] buckets) {
}
