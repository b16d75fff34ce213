package dev.athanor.query.dataprovider.store;

import java.util.Set;

/**
 * Which series of an experiment to list.
 *
 * @param dataClass TensorBoard data class number: 1 scalar, 2 tensor, 3 blob sequence
 * @param runs      only runs with these names, or null for every run
 * @param tags      only these tags, or null for every tag
 */
public record SeriesQuery(long experimentId, String plugin, int dataClass, Set<String> runs, Set<String> tags) {

    public static final int SCALAR = 1;
    public static final int TENSOR = 2;
    public static final int BLOB_SEQUENCE = 3;

    public SeriesQuery {
        runs = runs == null ? null : Set.copyOf(runs);
        tags = tags == null ? null : Set.copyOf(tags);
    }
}
