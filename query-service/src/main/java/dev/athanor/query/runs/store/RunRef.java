package dev.athanor.query.runs.store;

/** Just enough of a run to label data read from it. */
public record RunRef(long id, long experimentId, String path) {
}
