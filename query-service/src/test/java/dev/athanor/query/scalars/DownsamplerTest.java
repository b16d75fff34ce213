package dev.athanor.query.scalars;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.query.scalars.store.DownsampledSeries;
import dev.athanor.query.scalars.store.Downsampler;
import dev.athanor.query.scalars.store.ScalarSeriesRef;
import dev.athanor.query.scalars.store.StepRange;
import dev.athanor.query.scalars.store.XAxis;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DownsamplerTest {

    private final InMemoryChunks chunks = new InMemoryChunks();
    private final Downsampler downsampler = new Downsampler(chunks);

    private long[] steps;
    private double[] walls;
    private double[] values;

    private ScalarSeriesRef series(long id, int n, int chunkSize, long seed) {
        Random random = new Random(seed);
        steps = new long[n];
        walls = new double[n];
        values = new double[n];
        for (int i = 0; i < n; i++) {
            steps[i] = i * 3L + (i > n / 2 ? 7 : 0); // gaps, and a jump in the middle
            walls[i] = 1_600_000_000.0 + i * 0.5;
            values[i] = Math.sin(i / 100.0) + random.nextGaussian() * 0.01;
        }
        chunks.add(id, steps, walls, values, chunkSize);
        return new ScalarSeriesRef(id, 1, "run", "loss", n);
    }

    private DownsampledSeries read(ScalarSeriesRef ref, StepRange range, XAxis x, int maxPoints) {
        List<DownsampledSeries> out = downsampler.read(List.of(ref), range, x, maxPoints);
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    @Test
    void smallSeriesComesBackWholeAndExact() {
        ScalarSeriesRef ref = series(1, 700, 64, 1);
        DownsampledSeries s = read(ref, StepRange.ALL, XAxis.STEP, 1000);
        assertThat(s.sampling().method()).isEqualTo("all");
        assertThat(s.points().step()).containsExactly(steps);
        assertThat(s.points().value()).containsExactly(values);
        assertThat(s.points().wallTime()).containsExactly(walls);
        assertThat(s.points().count()).containsOnly(1L);
    }

    @Test
    void largeSeriesIsBucketedWithExactAggregatesAndNoPointsRead() {
        ScalarSeriesRef ref = series(2, 200_000, 100, 2);
        DownsampledSeries s = read(ref, StepRange.ALL, XAxis.STEP, 1000);
        assertThat(s.sampling().method()).isEqualTo("buckets");
        assertThat(s.points().size()).isLessThanOrEqualTo(1000).isGreaterThan(900);
        assertThat(s.sampling().chunksOpened()).as("chunks smaller than a bucket are never opened").isZero();
        assertThat(chunks.opened).isZero();
        SeriesCheck.matchesRaw(s, steps, values, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    @Test
    void aSingleSpikeSurvivesAsABucketMax() {
        ScalarSeriesRef ref = series(3, 100_000, 250, 3);
        // Rebuild with a spike and a NaN: a fresh series id so the chunks carry them.
        values[54_321] = 1e9;
        values[77_777] = Double.NaN;
        chunks.add(4, steps, walls, values, 250);
        DownsampledSeries s = read(new ScalarSeriesRef(4, 1, "run", "loss", steps.length), StepRange.ALL, XAxis.STEP, 500);
        assertThat(s.points().max()).contains(1e9);
        assertThat(s.points().nanCount()).contains(1L);
        SeriesCheck.matchesRaw(s, steps, values, Long.MIN_VALUE, Long.MAX_VALUE);
        assertThat(ref.seriesId()).isEqualTo(3);
    }

    @Test
    void chunksWiderThanBucketsAreOpenedAndSplitExactly() {
        ScalarSeriesRef ref = series(5, 50_000, 10_000, 5);
        DownsampledSeries s = read(ref, StepRange.ALL, XAxis.STEP, 1000);
        assertThat(s.points().size()).isGreaterThan(900);
        assertThat(s.sampling().chunksOpened()).isEqualTo(5);
        SeriesCheck.matchesRaw(s, steps, values, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    @Test
    void overTheReadBudgetWideChunksAreFoldedWholeAndStayExact() {
        Downsampler frugal = new Downsampler(chunks, 20_000);
        ScalarSeriesRef ref = series(12, 50_000, 10_000, 12);
        DownsampledSeries s = frugal.read(List.of(ref), StepRange.ALL, XAxis.STEP, 1000).get(0);
        assertThat(s.sampling().chunksOpened()).isZero();
        assertThat(s.sampling().coarseChunks()).isEqualTo(5);
        assertThat(s.points().size()).isEqualTo(5);
        SeriesCheck.matchesRaw(s, steps, values, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    @Test
    void zoomRangeCutsChunksExactly() {
        ScalarSeriesRef ref = series(6, 100_000, 333, 6);
        long lo = 12_345;
        long hi = 250_001;
        DownsampledSeries s = read(ref, new StepRange(lo, hi), XAxis.STEP, 100);
        assertThat(s.sampling().chunksOpened()).as("only the two chunks cut by the range").isEqualTo(2);
        assertThat(s.points().firstStep()[0]).isGreaterThanOrEqualTo(lo);
        assertThat(s.points().step()[s.points().size() - 1]).isLessThanOrEqualTo(hi);
        SeriesCheck.matchesRaw(s, steps, values, lo, hi);
    }

    @Test
    void zoomIntoFewPointsReturnsThemAll() {
        ScalarSeriesRef ref = series(7, 100_000, 1000, 7);
        DownsampledSeries s = read(ref, new StepRange(3000L, 3299L), XAxis.STEP, 1000);
        assertThat(s.sampling().method()).isEqualTo("all");
        assertThat(s.points().size()).isEqualTo(100);
        assertThat(s.points().step()[0]).isEqualTo(3000);
        assertThat(s.points().step()[99]).isEqualTo(3297);
    }

    @Test
    void wallTimeAxisBucketsOverTime() {
        ScalarSeriesRef ref = series(8, 60_000, 100, 8);
        DownsampledSeries s = read(ref, StepRange.ALL, XAxis.WALL_TIME, 600);
        assertThat(s.sampling().x()).isEqualTo("wall_time");
        assertThat(s.points().size()).isLessThanOrEqualTo(600);
        assertThat(s.sampling().bucketWidth()).isCloseTo(30_000 / 600.0, org.assertj.core.data.Offset.offset(0.01));
        for (int i = 0; i < s.points().size(); i++) {
            assertThat(s.points().x()[i]).isEqualTo(s.points().wallTime()[i]);
        }
        SeriesCheck.matchesRaw(s, steps, values, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    @Test
    void manySeriesAreReadTogetherWithBoundedOpens() {
        ScalarSeriesRef a = series(9, 5_000, 100, 9);
        ScalarSeriesRef b = series(10, 300, 100, 10);
        List<DownsampledSeries> out = downsampler.read(List.of(a, b), StepRange.ALL, XAxis.STEP, 1000);
        assertThat(out).extracting(d -> d.sampling().method()).containsExactly("buckets", "all");
        assertThat(out.get(1).points().size()).isEqualTo(300);
    }

    @Test
    void maxPointsOfOneGivesOneBucketWithEverything() {
        ScalarSeriesRef ref = series(11, 10_000, 100, 11);
        DownsampledSeries s = read(ref, StepRange.ALL, XAxis.STEP, 1);
        assertThat(s.points().size()).isEqualTo(1);
        assertThat(s.points().count()[0]).isEqualTo(10_000);
        assertThat(s.points().step()[0]).isEqualTo(steps[steps.length - 1]);
        assertThat(s.points().value()[0]).isEqualTo(values[values.length - 1]);
    }

    @Test
    void alignedSeriesOfATagShareOneLayoutOverTheirUnionEvenWhenTheyWouldFitWhole() {
        // Two short series over different step ranges: alone each would come back whole.
        long[] aSteps = {0, 10, 20, 30, 40};
        long[] bSteps = {20, 30, 40, 50, 60, 70, 80, 90};
        // One point per chunk, so no chunk straddles a bucket edge (those are folded into one bucket).
        chunks.add(10, aSteps, new double[5], new double[] {1, 2, 3, 4, 5}, 1);
        chunks.add(11, bSteps, new double[8], new double[] {1, 2, 3, 4, 5, 6, 7, 8}, 1);
        List<DownsampledSeries> out = downsampler.read(List.of(new ScalarSeriesRef(10, 1, "a", "loss", 5),
                new ScalarSeriesRef(11, 2, "b", "loss", 8)), StepRange.ALL, XAxis.STEP, 10, true);
        // Union 0..90 in 10 buckets: width 10, so step s lands in bucket s / 10 for both series.
        for (DownsampledSeries s : out) {
            assertThat(s.sampling().method()).isEqualTo("buckets");
            assertThat(s.sampling().bucketWidth()).isEqualTo(10.0);
            for (int i = 0; i < s.points().size(); i++) {
                assertThat(s.buckets()[i]).isEqualTo((int) (s.points().step()[i] / 10));
            }
        }
        assertThat(out.get(0).buckets()).containsExactly(0, 1, 2, 3, 4);
        assertThat(out.get(1).buckets()).containsExactly(2, 3, 4, 5, 6, 7, 8, 9);
        // Unaligned reads keep their own layout and send no bucket indices.
        assertThat(downsampler.read(List.of(new ScalarSeriesRef(11, 2, "b", "loss", 8)), StepRange.ALL, XAxis.STEP, 10)
                .get(0).buckets()).isNull();
    }
}
