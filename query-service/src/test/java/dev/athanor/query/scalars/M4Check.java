package dev.athanor.query.scalars;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.query.scalars.store.BucketLayout;
import dev.athanor.query.scalars.store.M4Series;
import dev.athanor.query.scalars.store.XAxis;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Brute-force reference for M4: walks the raw points of one series column by column and checks
 * that the reduced series keeps, in each column, its first and last point, a point with the
 * column's lowest and one with its highest finite value, the exact mean (at float precision),
 * nothing else, and the series' last point (at the end, on steps).
 */
final class M4Check {

    private M4Check() {
    }

    static void matches(M4Series reduced, long[] steps, double[] walls, double[] values, XAxis x, BucketLayout layout) {
        int n = steps.length;
        assertThat(reduced.pointsInRange()).isEqualTo(n);
        if (n == 0) {
            assertThat(reduced.size()).isZero();
            return;
        }
        // Raw points per column, in step order.
        Map<Integer, List<Integer>> columns = new HashMap<>();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int b = layout.bucketOf(steps[i], walls[i]);
            if (!columns.containsKey(b)) {
                order.add(b);
            }
            columns.computeIfAbsent(b, k -> new ArrayList<>()).add(i);
        }
        order.sort(Integer::compare);
        assertThat(reduced.bucketSizes()).as("one entry per non-empty column").hasSize(order.size());
        int at = 0;
        for (int c = 0; c < order.size(); c++) {
            List<Integer> raw = columns.get(order.get(c));
            int size = reduced.bucketSizes()[c];
            assertThat(size).isBetween(1, 4);
            List<long[]> keptSteps = new ArrayList<>();
            for (int k = at; k < at + size; k++) {
                keptSteps.add(new long[] {reduced.steps()[k]});
                assertThat(k == at || reduced.steps()[k] > reduced.steps()[k - 1]).as("step order, no repeats").isTrue();
            }
            int first = raw.get(0);
            int last = raw.get(raw.size() - 1);
            assertThat(reduced.steps()[at]).as("column %d first", c).isEqualTo(steps[first]);
            assertThat(Double.valueOf(reduced.values()[at])).isEqualTo(Double.valueOf(values[first]));
            assertThat(reduced.steps()[at + size - 1]).as("column %d last", c).isEqualTo(steps[last]);
            assertThat(Double.valueOf(reduced.values()[at + size - 1])).isEqualTo(Double.valueOf(values[last]));
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            int finite = 0;
            for (int i : raw) {
                if (Double.isFinite(values[i])) {
                    min = Math.min(min, values[i]);
                    max = Math.max(max, values[i]);
                    sum += values[i];
                    finite++;
                }
            }
            List<Double> kept = new ArrayList<>();
            for (int k = at; k < at + size; k++) {
                kept.add(reduced.values()[k]);
                int rawIndex = indexOfStep(steps, reduced.steps()[k]);
                assertThat(raw).as("a kept point belongs to its column").contains(rawIndex);
                assertThat(Double.valueOf(reduced.values()[k])).isEqualTo(Double.valueOf(values[rawIndex]));
                if (x == XAxis.WALL_TIME) {
                    assertThat(reduced.wallTimes()[k]).isEqualTo(walls[rawIndex]);
                }
            }
            if (finite == 0) {
                assertThat(reduced.means()[c]).isNull();
                assertThat(size).as("first and last only").isLessThanOrEqualTo(2);
            } else {
                assertThat(kept).as("column %d min", c).contains(min);
                assertThat(kept).as("column %d max", c).contains(max);
                assertThat(reduced.means()[c]).isCloseTo(sum / finite, org.assertj.core.data.Offset.offset(1e-9 * Math.max(1, Math.abs(sum / finite))));
            }
            at += size;
        }
        assertThat(at).isEqualTo(reduced.size());
        // The series' last point is the last of its column, so always kept; by wall time it is the
        // chart's last kept point unless wall time went back (a restarted job's clock).
        int lastKept = -1;
        for (int k = 0; k < reduced.size(); k++) {
            lastKept = reduced.steps()[k] == steps[n - 1] ? k : lastKept;
        }
        assertThat(lastKept).as("the series' last point is always kept").isNotNegative();
        assertThat(Double.valueOf(reduced.values()[lastKept])).isEqualTo(Double.valueOf(values[n - 1]));
        if (x == XAxis.STEP) {
            assertThat(lastKept).as("on steps the series' last point ends the chart").isEqualTo(reduced.size() - 1);
        }
    }

    /** The indices {@code [from, to)} of the (ascending) steps inside the range. */
    static int[] inRange(long[] steps, dev.athanor.query.scalars.store.StepRange range) {
        int from = 0;
        while (from < steps.length && steps[from] < range.lo()) {
            from++;
        }
        int to = from;
        while (to < steps.length && steps[to] <= range.hi()) {
            to++;
        }
        return new int[] {from, to};
    }

    private static int indexOfStep(long[] steps, long step) {
        int i = java.util.Arrays.binarySearch(steps, step);
        assertThat(i).as("kept step %d is a raw step", step).isGreaterThanOrEqualTo(0);
        return i;
    }
}
