package dev.athanor.archive.replication;

import dev.athanor.archive.store.ObjectStore;

/**
 * A named replication destination: its store and the folder above
 * {@code <project>/<experiment>/<run>/…} there (may be empty).
 */
public record Destination(String name, ObjectStore store, String prefix) {

    /** The destination key of a primary key written under {@code primaryPrefix}. */
    public String keyOf(String primaryKey, String primaryPrefix) {
        // A key written under an earlier primary prefix keeps that prefix as a folder: still unique.
        String relative = primaryPrefix.isEmpty() || !primaryKey.startsWith(primaryPrefix + "/") ? primaryKey
                : primaryKey.substring(primaryPrefix.length() + 1);
        return prefix.isEmpty() ? relative : prefix + "/" + relative;
    }
}
