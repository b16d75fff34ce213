package dev.athanor.query.scalars.store;

import java.util.ArrayList;
import java.util.List;

/**
 * One series' chunks as PostgreSQL sent them ({@code array_send} bytes), decoded once at the end
 * into columns of the exact size. A 100-run chart moves a million points per request through
 * here: decoding each chunk into arrays of its own, growing columns and trimming them made most of
 * that read's garbage (and its collector time).
 */
final class SentChunks {

    /** A chunk's bytes and the part {@code [from, to)} of it in range; {@code steps} null when they are consecutive. */
    private record Sent(long firstStep, byte[] steps, byte[] walls, byte[] values, int from, int to) {
    }

    private final List<Sent> chunks = new ArrayList<>();
    private int size;

    /**
     * Adds a chunk (chunks come in step order): {@code steps} null when it holds every step from
     * {@code firstStep} on, {@code walls} null when wall times were not asked for.
     */
    void add(long firstStep, byte[] steps, byte[] walls, byte[] values, StepRange range) {
        int n = BinaryArrays.length(values, 701);
        int from = 0;
        int to = n;
        while (from < n && stepAt(firstStep, steps, from) < range.lo()) {
            from++;
        }
        while (to > from && stepAt(firstStep, steps, to - 1) > range.hi()) {
            to--;
        }
        if (to > from) {
            chunks.add(new Sent(firstStep, steps, walls, values, from, to));
            size += to - from;
        }
    }

    private static long stepAt(long firstStep, byte[] steps, int i) {
        return steps == null ? firstStep + i : BinaryArrays.int8At(steps, i);
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** The points in range, in step order; wall times empty unless {@code wallTimes}. */
    ChunkPoints toPoints(boolean wallTimes) {
        long[] steps = new long[size];
        double[] walls = new double[wallTimes ? size : 0];
        double[] values = new double[size];
        int at = 0;
        for (Sent c : chunks) {
            if (c.steps() == null) {
                for (int i = c.from(); i < c.to(); i++) {
                    steps[at + i - c.from()] = c.firstStep() + i;
                }
            } else {
                BinaryArrays.int8Into(c.steps(), c.from(), c.to(), steps, at);
            }
            if (wallTimes) {
                BinaryArrays.float8Into(c.walls(), c.from(), c.to(), walls, at);
            }
            BinaryArrays.float8Into(c.values(), c.from(), c.to(), values, at);
            at += c.to() - c.from();
        }
        return new ChunkPoints(steps, walls, values);
    }
}
