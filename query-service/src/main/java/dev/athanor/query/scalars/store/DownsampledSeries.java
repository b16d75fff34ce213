package dev.athanor.query.scalars.store;

/** One series as read: which series, how it was sampled, the points. */
public record DownsampledSeries(long runId, String run, String tag, long totalPoints, Sampling sampling,
                                ScalarPoints points) {
}
