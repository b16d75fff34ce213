package dev.athanor.query.scalars;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.query.scalars.store.DownsampledSeries;
import dev.athanor.query.scalars.store.ScalarPoints;

/**
 * Brute-force checks of a downsampled series against the raw points: buckets are ordered and
 * disjoint, each bucket's count/min/max/last equal those of the raw points in its extent
 * (firstStep..step), and the counts add up to every point in range.
 */
final class SeriesCheck {

    private SeriesCheck() {
    }

    static void matchesRaw(DownsampledSeries series, long[] steps, double[] values, long stepMin, long stepMax) {
        ScalarPoints p = series.points();
        long expectedInRange = 0;
        for (long s : steps) {
            if (s >= stepMin && s <= stepMax) {
                expectedInRange++;
            }
        }
        assertThat(series.sampling().pointsInRange()).isEqualTo(expectedInRange);
        long total = 0;
        long previousEnd = Long.MIN_VALUE;
        int cursor = 0;
        for (int b = 0; b < p.size(); b++) {
            assertThat(p.firstStep()[b]).as("bucket %d starts after the previous one ends", b).isGreaterThan(previousEnd);
            assertThat(p.firstStep()[b]).isLessThanOrEqualTo(p.step()[b]);
            long count = 0;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            boolean finite = false;
            double last = Double.NaN;
            long nans = 0;
            while (cursor < steps.length && steps[cursor] < p.firstStep()[b]) {
                cursor++;
            }
            int i = cursor;
            while (i < steps.length && steps[i] <= p.step()[b]) {
                if (steps[i] >= stepMin && steps[i] <= stepMax) {
                    double v = values[i];
                    count++;
                    if (Double.isNaN(v)) {
                        nans++;
                    } else if (Double.isFinite(v)) {
                        finite = true;
                        min = Math.min(min, v);
                        max = Math.max(max, v);
                    }
                    last = v;
                }
                i++;
            }
            cursor = i;
            assertThat(p.count()[b]).as("count of bucket %d (%d..%d)", b, p.firstStep()[b], p.step()[b]).isEqualTo(count);
            assertThat(p.nanCount()[b]).as("NaNs of bucket %d", b).isEqualTo(nans);
            if (finite) {
                assertThat(p.min()[b]).as("min of bucket %d", b).isEqualTo(min);
                assertThat(p.max()[b]).as("max of bucket %d", b).isEqualTo(max);
            } else {
                assertThat(p.min()[b]).isNull();
                assertThat(p.max()[b]).isNull();
            }
            assertThat(Double.compare(p.value()[b], last)).as("last value of bucket %d", b).isZero();
            total += p.count()[b];
            previousEnd = p.step()[b];
        }
        assertThat(total).as("bucket counts add up to the points in range").isEqualTo(expectedInRange);
    }
}
