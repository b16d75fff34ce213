package dev.athanor.query.scalars.store;

/** Primary key of a scalar chunk. */
public record ChunkKey(long seriesId, long firstStep) {
}
