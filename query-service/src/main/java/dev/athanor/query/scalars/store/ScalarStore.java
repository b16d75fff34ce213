package dev.athanor.query.scalars.store;

import java.util.Collection;
import java.util.List;

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
}
