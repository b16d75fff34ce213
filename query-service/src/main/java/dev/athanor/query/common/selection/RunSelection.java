package dev.athanor.query.common.selection;

import java.util.List;

/**
 * A set of runs named in a request body: explicit run ids, or an experiment with an optional
 * filter expression, or both (the ids are then also filtered).
 *
 * @param experiment experiment id, or null
 * @param runs       run ids, or null/empty
 * @param filter     a run filter expression, or null
 */
public record RunSelection(Long experiment, List<Long> runs, String filter) {

    public boolean isEmpty() {
        return experiment == null && (runs == null || runs.isEmpty());
    }
}
