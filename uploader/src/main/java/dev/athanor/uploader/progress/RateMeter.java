package dev.athanor.uploader.progress;

import java.util.ArrayDeque;
import java.util.Deque;

/** A rate over a sliding window of recent samples of a growing counter. */
public final class RateMeter {

    private record Sample(long nanos, long value) {
    }

    private final long windowNanos;
    private final Deque<Sample> samples = new ArrayDeque<>();

    public RateMeter(long windowNanos) {
        this.windowNanos = windowNanos;
    }

    /** Adds a sample; returns units per second over the window (0 until two samples exist). */
    public double sample(long nowNanos, long value) {
        samples.addLast(new Sample(nowNanos, value));
        while (samples.size() > 2 && nowNanos - samples.peekFirst().nanos() > windowNanos) {
            samples.removeFirst();
        }
        Sample first = samples.peekFirst();
        long elapsed = nowNanos - first.nanos();
        return elapsed <= 0 ? 0 : (value - first.value()) * 1e9 / elapsed;
    }
}
