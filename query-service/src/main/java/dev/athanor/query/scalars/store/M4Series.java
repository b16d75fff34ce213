package dev.athanor.query.scalars.store;

/**
 * One series reduced to pixel columns by M4: per bucket the points that are first, last, lowest
 * and highest (finite values) in it, in step order without repeats, and the mean of its finite
 * values.
 *
 * @param pointsInRange points of the series in the step range (what the buckets stand for)
 * @param steps         step of each kept point
 * @param wallTimes     wall time of each kept point (empty when not asked for)
 * @param values        value of each kept point
 * @param bucketSizes   how many consecutive kept points each non-empty bucket has (1–4), in x order
 * @param means         per non-empty bucket the mean of its finite values, null when it has none
 */
public record M4Series(long runId, String run, String tag, long totalPoints, long pointsInRange, long[] steps,
                       double[] wallTimes, double[] values, int[] bucketSizes, Double[] means) {

    public int size() {
        return steps.length;
    }
}
