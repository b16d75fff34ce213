package dev.athanor.query.scalars.store;

/** A scalar series found for a (run, tag): its interned id and how many points it holds. */
public record ScalarSeriesRef(long seriesId, long runId, String run, String tag, long totalPoints) {
}
