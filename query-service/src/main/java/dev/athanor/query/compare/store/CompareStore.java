package dev.athanor.query.compare.store;

import java.util.Collection;
import java.util.List;

/** Reads what a side-by-side comparison of runs shows. */
public interface CompareStore {

    /**
     * The scalar series of these runs summarised ({@link MetricSummary}), ordered by tag then run;
     * only {@code tags} when not empty.
     */
    List<MetricSummary> summaries(Collection<Long> runIds, Collection<String> tags);

    /** The distinct scalar tags of these runs, in name order. */
    List<String> scalarTags(Collection<Long> runIds);
}
