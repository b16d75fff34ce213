package dev.athanor.archive.replication;

import dev.athanor.archive.store.ObjectStore;

/**
 * A named replication destination: its store and the folder above
 * {@code <project>/<experiment>/<run>/…} there (may be empty).
 */
public record Destination(String name, ObjectStore store, String prefix) {

    /** The destination key of a primary key written under {@code primaryPrefix}. */
    public String keyOf(String primaryKey, String primaryPrefix) {
        String relative = primaryPrefix.isEmpty() ? primaryKey : primaryKey.substring(primaryPrefix.length() + 1);
        return prefix.isEmpty() ? relative : prefix + "/" + relative;
    }
}
