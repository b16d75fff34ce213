package dev.athanor.query.scalars.store;

/**
 * The roll-up of one scalar chunk, read without its point arrays.
 *
 * @param minValue null when the chunk holds no finite value
 */
public record ChunkSummary(long seriesId, long firstStep, long lastStep, int pointCount, Double minValue,
                           Double maxValue, double firstValue, double lastValue, double firstWallTime,
                           double lastWallTime, int nanCount, int infCount) {

    public ChunkKey key() {
        return new ChunkKey(seriesId, firstStep);
    }
}
