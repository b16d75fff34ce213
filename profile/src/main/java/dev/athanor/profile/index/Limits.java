package dev.athanor.profile.index;

/**
 * How much of a trace is decoded. Heap follows {@code maxLaneEvents} (one lane's events are sorted
 * in memory, ~30 bytes each), not the file: the events themselves go to disk.
 *
 * @param maxEvents     events of one trace
 * @param maxLaneEvents events of one lane (thread, stream)
 * @param maxKeys       distinct (name, type) pairs, and XPlane metadata entries
 * @param maxLanes      lanes of one trace
 */
public record Limits(long maxEvents, int maxLaneEvents, int maxKeys, int maxLanes) {

    public static final Limits DEFAULT = new Limits(50_000_000L, 4_000_000, 1_000_000, 10_000);
}
