package dev.athanor.bench.parse;

import java.util.Arrays;

/**
 * Repeated timings of one thing over the same input: each iteration covers {@code bytes} bytes
 * and {@code events} events, and took {@code wallNanos[i]} of wall-clock time and
 * {@code cpuNanos[i]} of CPU time (all threads of the process that did the work).
 */
record Measurement(String input, String stage, long bytes, long events, long[] wallNanos, long[] cpuNanos) {

    /** Best and median rates over a set of iteration times. */
    record Rates(double bestMBps, double medianMBps, double bestEventsPerSecond, double medianEventsPerSecond,
                 double bestMillis, double medianMillis) {
    }

    /** Throughput per CPU core: work divided by the CPU time it consumed. */
    Rates perCore() {
        return rates(cpuNanos);
    }

    Rates wallClock() {
        return rates(wallNanos);
    }

    boolean hasCpuTime() {
        return Arrays.stream(cpuNanos).allMatch(n -> n > 0);
    }

    private Rates rates(long[] nanos) {
        double best = Arrays.stream(nanos).min().orElseThrow();
        double median = median(nanos);
        return new Rates(bytes * 1e3 / best, bytes * 1e3 / median, events * 1e9 / best, events * 1e9 / median,
                best / 1e6, median / 1e6);
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }
}
