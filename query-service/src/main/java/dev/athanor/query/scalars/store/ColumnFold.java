package dev.athanor.query.scalars.store;

import java.util.Arrays;

/**
 * One series' M4 columns folded from pieces given in step order: single points, or whole
 * sub-blocks (each lying in one column: step blocks on a step layout, wall blocks on a wall-time
 * one). Per column the first and last point, the first point with the lowest and the first with
 * the highest finite value (the rule {@link M4Downsampler} applies point by point), and the sum
 * and count of finite values; on a wall-time layout the kept points' wall times too.
 */
final class ColumnFold {

    private final BucketLayout layout;
    private final boolean walls;
    private final double[] firstWall;
    private final double[] lastWall;
    private final double[] minWall;
    private final double[] maxWall;
    private final long[] firstStep;
    private final double[] firstValue;
    private final long[] lastStep;
    private final double[] lastValue;
    private final long[] minStep;
    private final double[] minValue;
    private final long[] maxStep;
    private final double[] maxValue;
    private final double[] sum;
    private final int[] finite;
    private final boolean[] filled;

    ColumnFold(BucketLayout layout) {
        this.layout = layout;
        int n = layout.count();
        walls = layout.x() == XAxis.WALL_TIME;
        firstWall = new double[walls ? n : 0];
        lastWall = new double[walls ? n : 0];
        minWall = new double[walls ? n : 0];
        maxWall = new double[walls ? n : 0];
        firstStep = new long[n];
        firstValue = new double[n];
        lastStep = new long[n];
        lastValue = new double[n];
        minStep = new long[n];
        minValue = new double[n];
        maxStep = new long[n];
        maxValue = new double[n];
        sum = new double[n];
        finite = new int[n];
        filled = new boolean[n];
    }

    void point(long step, double wall, double value) {
        boolean isFinite = Double.isFinite(value);
        piece(layout.bucketOf(step, wall), step, wall, value, step, wall, value, isFinite, step, wall, value, step,
                wall, value, isFinite ? value : 0, isFinite ? 1 : 0);
    }

    /** A step block (see index-writer's {@code SubBlocks.Visitor}) lying in one column of a step layout. */
    void block(long first, double firstV, long last, double lastV, boolean hasFinite, long min, double minV,
               long max, double maxV, double blockSum, int finiteCount) {
        piece(layout.bucketOf(first, 0), first, 0, firstV, last, 0, lastV, hasFinite, min, 0, minV, max, 0, maxV,
                blockSum, finiteCount);
    }

    /**
     * A wall block (see index-writer's {@code SubBlocks.WallVisitor}) of a wall-time layout; the
     * caller has checked that its lowest and highest wall time lie in one column
     * ({@link #holds}), so all its points do.
     */
    void wallBlock(long first, double firstW, double firstV, long last, double lastW, double lastV, boolean hasFinite,
                   long min, double minW, double minV, long max, double maxW, double maxV, double blockSum,
                   int finiteCount, double wallLo, double wallHi) {
        piece(layout.bucketOf(first, wallLo), first, firstW, firstV, last, lastW, lastV, hasFinite, min, minW, minV,
                max, maxW, maxV, blockSum, finiteCount);
    }

    /**
     * Whether every wall time from {@code wallLo} to {@code wallHi} falls in one column of the
     * layout: the bucket is a non-decreasing function of the wall time (correctly rounded
     * subtraction and division keep order), so the two ends decide for all points between.
     */
    static boolean holds(BucketLayout layout, double wallLo, double wallHi) {
        return layout.bucketOf(0, wallLo) == layout.bucketOf(0, wallHi);
    }

    private void piece(int c, long first, double firstW, double firstV, long last, double lastW, double lastV,
                       boolean hasFinite, long min, double minW, double minV, long max, double maxW, double maxV,
                       double pieceSum, int finiteCount) {
        if (!filled[c]) {
            filled[c] = true;
            firstStep[c] = first;
            firstValue[c] = firstV;
            if (walls) {
                firstWall[c] = firstW;
            }
        }
        lastStep[c] = last;
        lastValue[c] = lastV;
        if (walls) {
            lastWall[c] = lastW;
        }
        if (hasFinite) {
            // Strictly lower or higher: on ties the earlier point stays, as point by point.
            if (finite[c] == 0 || minV < minValue[c]) {
                minStep[c] = min;
                minValue[c] = minV;
                if (walls) {
                    minWall[c] = minW;
                }
            }
            if (finite[c] == 0 || maxV > maxValue[c]) {
                maxStep[c] = max;
                maxValue[c] = maxV;
                if (walls) {
                    maxWall[c] = maxW;
                }
            }
            sum[c] += pieceSum;
            finite[c] += finiteCount;
        }
    }

    /** The kept points: per non-empty column its first, min, max and last in step order, without repeats. */
    M4Series toSeries(ScalarSeriesRef ref, long pointsInRange) {
        int columns = layout.count();
        long[] steps = new long[4 * columns];
        double[] wallTimes = new double[walls ? 4 * columns : 0];
        double[] values = new double[4 * columns];
        int[] sizes = new int[columns];
        Double[] means = new Double[columns];
        long[] fourSteps = new long[4];
        double[] fourWalls = new double[4];
        double[] fourValues = new double[4];
        int n = 0;
        int buckets = 0;
        for (int c = 0; c < columns; c++) {
            if (!filled[c]) {
                continue;
            }
            boolean anyFinite = finite[c] > 0;
            fourSteps[0] = firstStep[c];
            fourValues[0] = firstValue[c];
            fourSteps[1] = anyFinite ? minStep[c] : firstStep[c];
            fourValues[1] = anyFinite ? minValue[c] : firstValue[c];
            fourSteps[2] = anyFinite ? maxStep[c] : firstStep[c];
            fourValues[2] = anyFinite ? maxValue[c] : firstValue[c];
            fourSteps[3] = lastStep[c];
            fourValues[3] = lastValue[c];
            if (walls) {
                fourWalls[0] = firstWall[c];
                fourWalls[1] = anyFinite ? minWall[c] : firstWall[c];
                fourWalls[2] = anyFinite ? maxWall[c] : firstWall[c];
                fourWalls[3] = lastWall[c];
            }
            sortByStep(fourSteps, fourWalls, fourValues);
            int start = n;
            for (int k = 0; k < 4; k++) {
                if (n == start || steps[n - 1] != fourSteps[k]) {
                    steps[n] = fourSteps[k];
                    if (walls) {
                        wallTimes[n] = fourWalls[k];
                    }
                    values[n++] = fourValues[k];
                }
            }
            sizes[buckets] = n - start;
            means[buckets] = anyFinite ? sum[c] / finite[c] : null;
            buckets++;
        }
        return new M4Series(ref.runId(), ref.run(), ref.tag(), ref.totalPoints(), pointsInRange,
                Arrays.copyOf(steps, n), Arrays.copyOf(wallTimes, walls ? n : 0), Arrays.copyOf(values, n), Arrays.copyOf(sizes, buckets),
                Arrays.copyOf(means, buckets));
    }

    private static void sortByStep(long[] steps, double[] walls, double[] values) {
        for (int i = 1; i < steps.length; i++) {
            long s = steps[i];
            double w = walls[i];
            double v = values[i];
            int j = i - 1;
            while (j >= 0 && steps[j] > s) {
                steps[j + 1] = steps[j];
                walls[j + 1] = walls[j];
                values[j + 1] = values[j];
                j--;
            }
            steps[j + 1] = s;
            walls[j + 1] = w;
            values[j + 1] = v;
        }
    }
}
