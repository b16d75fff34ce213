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
    List<DownsampledSeries> read(List<ScalarSeriesRef> series, StepRange range, XAxis x, int maxPoints);
}
