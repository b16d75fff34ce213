package dev.athanor.query.scalars.store;

import dev.athanor.index.write.SubBlocks;

/**
 * A scalar chunk's extent and the sub-block summaries a chart on one axis folds (index-writer's
 * {@code SubBlocks} formats), read without its point arrays nor the other axis' summaries.
 *
 * @param blocks by step the chunk's sub_blocks (step blocks, version 1 or the older combined
 *               version 2), by wall time its wall_blocks ({@link #wallBlocks}); null for a chunk
 *               without summaries for that axis: it is read point by point
 */
public record ChunkBlocks(long seriesId, long firstStep, long lastStep, int pointCount, byte[] blocks) {

    public ChunkKey key() {
        return new ChunkKey(seriesId, firstStep);
    }

    /**
     * The wall blocks a chart by wall time folds: the chunk's wall_blocks, else those its sub_blocks
     * still carries when they are the combined version 2 (a chunk written on 2026-12-06 that the
     * backfill has not split yet), else null (none: read point by point).
     *
     * @param combinedSubBlocks the chunk's sub_blocks when wall_blocks is NULL and they are version 2, else null
     */
    public static byte[] wallBlocks(byte[] wallBlocks, byte[] combinedSubBlocks) {
        if (wallBlocks != null || combinedSubBlocks == null) {
            return wallBlocks;
        }
        return SubBlocks.split(combinedSubBlocks).wallBlocks();
    }
}
