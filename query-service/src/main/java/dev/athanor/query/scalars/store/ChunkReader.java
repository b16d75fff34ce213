package dev.athanor.query.scalars.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Chunk access the {@link Downsampler} needs: roll-ups first, points only for the chunks it opens. */
public interface ChunkReader {

    /** Roll-ups of every chunk of these series that holds a step in the range, ordered by series then step. */
    List<ChunkSummary> summaries(Collection<Long> seriesIds, StepRange range);

    /**
     * Every chunk of these series that holds a step in the range, with its sub-block summaries for
     * the axis {@code x} (step or wall time; null where it has none), ordered by series then step.
     * This default offers none, so charts are read point by point.
     */
    default List<ChunkBlocks> blocks(Collection<Long> seriesIds, StepRange range, XAxis x) {
        return List.of();
    }

    /** The points of these chunks. */
    Map<ChunkKey, ChunkPoints> open(Collection<ChunkKey> chunks);

    /**
     * Every point of these series in the step range, in step order, keyed by series id (series
     * without points in range are left out); wall times only when asked, else empty arrays. A
     * database implementation reads them in one statement; this default goes through the roll-ups.
     */
    default Map<Long, ChunkPoints> points(Collection<Long> seriesIds, StepRange range, boolean wallTimes) {
        List<ChunkSummary> summaries = summaries(seriesIds, range);
        Map<ChunkKey, ChunkPoints> opened = open(summaries.stream().map(ChunkSummary::key).toList());
        Map<Long, PointColumns> bySeries = new java.util.LinkedHashMap<>();
        for (ChunkSummary summary : summaries) {
            bySeries.computeIfAbsent(summary.seriesId(), id -> new PointColumns(wallTimes))
                    .addInRange(opened.get(summary.key()), range);
        }
        return PointColumns.nonEmpty(bySeries);
    }

    /**
     * The points of these chunks aggregated per bucket of their series' layout. A database
     * implementation does this where the points are, so only O(buckets) rows travel; this default
     * opens the chunks and aggregates here.
     */
    default List<BucketAggregate> aggregate(Collection<ChunkKey> chunks, Map<Long, BucketLayout> layouts) {
        Map<Long, Map<Integer, BucketAccumulator>> bySeries = new HashMap<>();
        for (Map.Entry<ChunkKey, ChunkPoints> e : open(chunks).entrySet()) {
            long series = e.getKey().seriesId();
            BucketLayout layout = layouts.get(series);
            Map<Integer, BucketAccumulator> buckets = bySeries.computeIfAbsent(series, id -> new HashMap<>());
            ChunkPoints p = e.getValue();
            for (int i = 0; i < p.size(); i++) {
                int b = layout.bucketOf(p.steps()[i], p.wallTimes()[i]);
                buckets.computeIfAbsent(b, k -> new BucketAccumulator()).addPoint(p.steps()[i], p.wallTimes()[i], p.values()[i]);
            }
        }
        List<BucketAggregate> out = new ArrayList<>();
        bySeries.forEach((series, buckets) -> buckets.forEach((b, a) -> out.add(a.result(series, b))));
        return out;
    }
}
