package dev.athanor.query.scalars.store;

/** The points of one opened chunk, in step order. */
public record ChunkPoints(long[] steps, double[] wallTimes, double[] values) {

    public int size() {
        return steps.length;
    }
}
