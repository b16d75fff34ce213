package dev.athanor.query.curate.store;

/**
 * What a purge would remove, for the confirmation a person sees first: runs, their series (index
 * rows of every point), raw files (segments and asset files still hot on an ingest volume) and
 * objects in stores (archived copies and replicas).
 */
public record Footprint(long runs, long series, long hotFiles, long objects) {
}
