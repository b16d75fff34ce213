package dev.athanor.query.scalars.store;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/** Chunk access the {@link Downsampler} needs: roll-ups first, points only for the chunks it opens. */
public interface ChunkReader {

    /** Roll-ups of every chunk of these series that holds a step in the range, ordered by series then step. */
    List<ChunkSummary> summaries(Collection<Long> seriesIds, StepRange range);

    /** The points of these chunks. */
    Map<ChunkKey, ChunkPoints> open(Collection<ChunkKey> chunks);
}
