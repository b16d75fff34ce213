package dev.athanor.index.write;

import java.util.Arrays;

/**
 * A growable run of scalar points in step order (parallel primitive arrays, no boxing). The arrays
 * are open for reading on the indexer's hot path, as a byte buffer's are; only the first
 * {@link #size} entries are points.
 */
public final class ScalarPoints {

    public long[] steps;
    public double[] wallTimes;
    public double[] values;
    public int size;

    public ScalarPoints(int capacity) {
        steps = new long[Math.max(4, capacity)];
        wallTimes = new double[steps.length];
        values = new double[steps.length];
    }

    public static ScalarPoints of(long[] steps, double[] wallTimes, double[] values) {
        ScalarPoints p = new ScalarPoints(steps.length);
        System.arraycopy(steps, 0, p.steps, 0, steps.length);
        System.arraycopy(wallTimes, 0, p.wallTimes, 0, steps.length);
        System.arraycopy(values, 0, p.values, 0, steps.length);
        p.size = steps.length;
        return p;
    }

    public void add(long step, double wallTime, double value) {
        if (size == steps.length) {
            int n = steps.length * 2;
            steps = Arrays.copyOf(steps, n);
            wallTimes = Arrays.copyOf(wallTimes, n);
            values = Arrays.copyOf(values, n);
        }
        steps[size] = step;
        wallTimes[size] = wallTime;
        values[size] = value;
        size++;
    }

    public void addAll(ScalarPoints other) {
        for (int i = 0; i < other.size; i++) {
            add(other.steps[i], other.wallTimes[i], other.values[i]);
        }
    }

    public long lastStep() {
        return steps[size - 1];
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** Drops every point at step >= {@code step} (the points are in ascending step order). */
    public void truncateFrom(long step) {
        while (size > 0 && steps[size - 1] >= step) {
            size--;
        }
    }

    public void clear() {
        size = 0;
    }
}
