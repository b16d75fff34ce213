package dev.athanor.query.scalars.store;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Reads scalar series. Every read is bounded: {@code maxPoints} is required, series longer than
 * that come back as min/max buckets (every point when they fit). Implementations must pass
 * {@code ScalarStoreContract}.
 */
public interface ScalarStore {

    /** The scalar series among these runs and tags (every scalar tag when {@code tags} is empty). */
    List<ScalarSeriesRef> findSeries(Collection<Long> runIds, Collection<String> tags);

    /** Reads the series in the step range, at most {@code maxPoints} points or buckets each. */
    default List<DownsampledSeries> read(List<ScalarSeriesRef> series, StepRange range, XAxis x, int maxPoints) {
        return read(series, range, x, maxPoints, false);
    }

    /**
     * As above; with {@code aligned}, every series of a tag is cut into the same maxPoints buckets
     * (one layout over the union of their ranges) and says which bucket each point stands for.
     */
    List<DownsampledSeries> read(List<ScalarSeriesRef> series, StepRange range, XAxis x, int maxPoints, boolean aligned);

    /**
     * Reads the series in the step range cut into {@code buckets} pixel columns per series (the
     * same columns for every series of a tag), M4 in each: see {@link M4Downsampler}.
     */
    List<M4Series> readColumns(List<ScalarSeriesRef> series, StepRange range, XAxis x, int buckets);

    /**
     * Real points, not buckets: at most {@code k} of each series, evenly by position in step order,
     * the newest always kept, every point when the series has no more than {@code k}, none when
     * {@code k} is 0. Deterministic. Keyed by series id; series without points are left out.
     */
    Map<Long, ChunkPoints> pickPoints(Collection<Long> seriesIds, int k);
}
