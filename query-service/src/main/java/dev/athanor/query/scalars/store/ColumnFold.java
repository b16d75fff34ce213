package dev.athanor.query.scalars.store;

import java.util.Arrays;

/**
 * One series' M4 columns folded from pieces given in step order: single points, or whole
 * sub-blocks (each lying in one column). Per column the first and last point, the first point with
 * the lowest and the first with the highest finite value (the rule {@link M4Downsampler} applies
 * point by point), and the sum and count of finite values.
 */
final class ColumnFold {

    private final BucketLayout layout;
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

    void point(long step, double value) {
        boolean isFinite = Double.isFinite(value);
        piece(layout.bucketOf(step, 0), step, value, step, value, isFinite, step, value, step, value,
                isFinite ? value : 0, isFinite ? 1 : 0);
    }

    /** A sub-block (see index-writer's {@code SubBlocks.Visitor}): all its points lie in one column. */
    void block(long first, double firstV, long last, double lastV, boolean hasFinite, long min, double minV,
               long max, double maxV, double blockSum, int finiteCount) {
        piece(layout.bucketOf(first, 0), first, firstV, last, lastV, hasFinite, min, minV, max, maxV, blockSum,
                finiteCount);
    }

    private void piece(int c, long first, double firstV, long last, double lastV, boolean hasFinite, long min,
                       double minV, long max, double maxV, double pieceSum, int finiteCount) {
        if (!filled[c]) {
            filled[c] = true;
            firstStep[c] = first;
            firstValue[c] = firstV;
        }
        lastStep[c] = last;
        lastValue[c] = lastV;
        if (hasFinite) {
            // Strictly lower or higher: on ties the earlier point stays, as point by point.
            if (finite[c] == 0 || minV < minValue[c]) {
                minStep[c] = min;
                minValue[c] = minV;
            }
            if (finite[c] == 0 || maxV > maxValue[c]) {
                maxStep[c] = max;
                maxValue[c] = maxV;
            }
            sum[c] += pieceSum;
            finite[c] += finiteCount;
        }
    }

    /** The kept points: per non-empty column its first, min, max and last in step order, without repeats. */
    M4Series toSeries(ScalarSeriesRef ref, long pointsInRange) {
        int columns = layout.count();
        long[] steps = new long[4 * columns];
        double[] values = new double[4 * columns];
        int[] sizes = new int[columns];
        Double[] means = new Double[columns];
        long[] fourSteps = new long[4];
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
            sortByStep(fourSteps, fourValues);
            int start = n;
            for (int k = 0; k < 4; k++) {
                if (n == start || steps[n - 1] != fourSteps[k]) {
                    steps[n] = fourSteps[k];
                    values[n++] = fourValues[k];
                }
            }
            sizes[buckets] = n - start;
            means[buckets] = anyFinite ? sum[c] / finite[c] : null;
            buckets++;
        }
        return new M4Series(ref.runId(), ref.run(), ref.tag(), ref.totalPoints(), pointsInRange,
                Arrays.copyOf(steps, n), new double[0], Arrays.copyOf(values, n), Arrays.copyOf(sizes, buckets),
                Arrays.copyOf(means, buckets));
    }

    private static void sortByStep(long[] steps, double[] values) {
        for (int i = 1; i < steps.length; i++) {
            long s = steps[i];
            double v = values[i];
            int j = i - 1;
            while (j >= 0 && steps[j] > s) {
                steps[j + 1] = steps[j];
                values[j + 1] = values[j];
                j--;
            }
            steps[j + 1] = s;
            values[j + 1] = v;
        }
    }
}
