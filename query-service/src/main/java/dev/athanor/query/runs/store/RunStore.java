package dev.athanor.query.runs.store;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads runs and their tags. Implementations must pass {@code RunStoreContract}. */
public interface RunStore {

    /** A page of the runs the query selects, in its sort order (the run id breaking ties), by offset or after a cursor. */
    RunPage list(RunListQuery query, RunPaging paging);

    Optional<Run> find(long id);

    /** The runs a query selects, without paging, at most {@code limit} of them, ordered by path. */
    List<RunRef> select(RunListQuery query, int limit);

    /**
     * Sets metadata columns of a run (display_name, labels, note, color, pinned — validated by the
     * caller; null clears) and stamps meta_updated_at. Answers the metadata as it was just before this
     * update, read in the same statement under the row's lock (so two concurrent edits each see the
     * other's result, never the same old values); empty when the run does not exist.
     */
    java.util.Optional<RunMetadata> updateMetadata(long runId, Map<String, Object> columns);

    /**
     * Each run's group key as JSON text (a number, string or boolean), or null when the run has
     * none. An invalid regex is a 400 naming {@code where}.
     */
    Map<Long, String> groupKeys(java.util.Collection<Long> runIds, RunGrouping by, String where);

    /** The run's tags grouped by plugin name; plugins and tags in name order. */
    Map<String, List<TagInfo>> tags(long runId);

    /** Every tag in an experiment, grouped by plugin, with the ids of the runs that have it. */
    Map<String, Map<String, List<Long>>> experimentTags(long experimentId);
}
