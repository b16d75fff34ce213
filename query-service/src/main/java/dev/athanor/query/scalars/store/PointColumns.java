package dev.athanor.query.scalars.store;

import java.util.Arrays;

/** Growable columns of one series' points, filled chunk by chunk in step order. */
final class PointColumns {

    private final boolean wallTimes;
    private long[] steps = new long[1024];
    private double[] walls;
    private double[] values = new double[1024];
    private int size;

    PointColumns(boolean wallTimes) {
        this.wallTimes = wallTimes;
        this.walls = new double[wallTimes ? 1024 : 0];
    }

    int size() {
        return size;
    }

    /** Appends the chunk's points that lie in the range (all of them for a chunk inside it). */
    void addInRange(ChunkPoints chunk, StepRange range) {
        int n = chunk.size();
        int from = 0;
        int to = n;
        while (from < n && chunk.steps()[from] < range.lo()) {
            from++;
        }
        while (to > from && chunk.steps()[to - 1] > range.hi()) {
            to--;
        }
        add(chunk.steps(), chunk.wallTimes(), chunk.values(), from, to);
    }

    void add(long[] chunkSteps, double[] chunkWalls, double[] chunkValues, int from, int to) {
        int n = to - from;
        if (n <= 0) {
            return;
        }
        if (size + n > steps.length) {
            int grown = Math.max(size + n, steps.length * 2);
            steps = Arrays.copyOf(steps, grown);
            values = Arrays.copyOf(values, grown);
            if (wallTimes) {
                walls = Arrays.copyOf(walls, grown);
            }
        }
        System.arraycopy(chunkSteps, from, steps, size, n);
        System.arraycopy(chunkValues, from, values, size, n);
        if (wallTimes) {
            System.arraycopy(chunkWalls, from, walls, size, n);
        }
        size += n;
    }

    /** The series that received points, as points. */
    static java.util.Map<Long, ChunkPoints> nonEmpty(java.util.Map<Long, PointColumns> bySeries) {
        java.util.Map<Long, ChunkPoints> out = new java.util.LinkedHashMap<>();
        bySeries.forEach((id, columns) -> {
            if (columns.size > 0) {
                out.put(id, columns.toPoints());
            }
        });
        return out;
    }

    ChunkPoints toPoints() {
        return new ChunkPoints(Arrays.copyOf(steps, size), wallTimes ? Arrays.copyOf(walls, size) : new double[0],
                Arrays.copyOf(values, size));
    }
}
