package dev.athanor.query.scalars.store;

/**
 * A scalar chunk's extent and its sub-block summaries as stored (index-writer's {@code SubBlocks}
 * format), read without its point arrays.
 *
 * @param subBlocks null for a chunk written before the summaries existed: it is read point by point
 */
public record ChunkBlocks(long seriesId, long firstStep, long lastStep, int pointCount, byte[] subBlocks) {

    public ChunkKey key() {
        return new ChunkKey(seriesId, firstStep);
    }
}
