package dev.athanor.query.scalars.store;

/**
 * The aggregate of the points of some chunks that fall into one bucket.
 *
 * @param min null when no point is finite
 */
public record BucketAggregate(long seriesId, int bucket, long count, Double min, Double max, long nanCount,
                              long firstStep, long lastStep, double lastValue, double lastWallTime) {
}
