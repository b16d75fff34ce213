package dev.athanor.query.dataprovider.store;

/**
 * A run as TensorBoard lists it.
 *
 * @param name      the run's path in the experiment (TensorBoard's relative run directory)
 * @param startTime seconds since the epoch of its first event, or null before it has one
 */
public record RunStart(long runId, String name, Double startTime) {
}
