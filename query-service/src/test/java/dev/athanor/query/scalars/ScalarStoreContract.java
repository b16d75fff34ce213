package dev.athanor.query.scalars;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.query.scalars.store.DownsampledSeries;
import dev.athanor.query.scalars.store.ScalarSeriesRef;
import dev.athanor.query.scalars.store.ScalarStore;
import dev.athanor.query.scalars.store.StepRange;
import dev.athanor.query.scalars.store.XAxis;
import dev.athanor.query.testing.IndexTestData;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link ScalarStore} must do: exact small reads, exact min/max buckets for big ones. */
public abstract class ScalarStoreContract {

    protected abstract ScalarStore store();

    protected abstract IndexTestData data();

    private long run;
    private long other;

    @BeforeEach
    void createRuns() {
        long experiment = data().experiment(IndexTestData.unique("scalars"));
        run = data().run(experiment, "train");
        other = data().run(experiment, "eval");
    }

    private ScalarSeriesRef only(String tag, long runId) {
        List<ScalarSeriesRef> found = store().findSeries(List.of(runId), List.of(tag));
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    @Test
    void findsScalarSeriesOnly() {
        data().scalarSeries(run, "loss", new double[] {1, 2}, 10);
        data().scalarSeries(run, "acc", new double[] {1}, 10);
        data().scalarSeries(other, "loss", new double[] {1, 2, 3}, 10);
        data().series(run, "weights", "histograms", 2);
        assertThat(store().findSeries(List.of(run, other), List.of("loss")))
                .extracting(ScalarSeriesRef::run, ScalarSeriesRef::totalPoints)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("eval", 3L), org.assertj.core.groups.Tuple.tuple("train", 2L));
        assertThat(store().findSeries(List.of(run), List.of())).extracting(ScalarSeriesRef::tag)
                .containsExactly("acc", "loss");
        assertThat(store().findSeries(List.of(run), List.of("weights"))).isEmpty();
    }

    @Test
    void smallSeriesIsExactIncludingNonFiniteValues() {
        double[] values = {0.5, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 1e300};
        data().scalarSeries(run, "odd", values, 4);
        DownsampledSeries s = store().read(List.of(only("odd", run)), StepRange.ALL, XAxis.STEP, 1000).get(0);
        assertThat(s.sampling().method()).isEqualTo("all");
        assertThat(s.points().value()).containsExactly(values);
        assertThat(s.points().step()).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(s.points().wallTime()).containsExactly(1000, 1001, 1002, 1003, 1004, 1005);
        assertThat(s.points().min()[1]).isNull();
        assertThat(s.points().nanCount()[1]).isEqualTo(1);
    }

    @Test
    void bigSeriesBucketsMatchTheRawPointsAndKeepTheSpike() {
        int n = 120_000;
        double[] values = new double[n];
        Random random = new Random(42);
        for (int i = 0; i < n; i++) {
            values[i] = 1.0 / (1 + i / 1000.0) + random.nextGaussian() * 0.001;
        }
        values[65_432] = 50.0;
        values[99_999] = Double.NaN;
        data().scalarSeries(run, "loss", values, 100);
        long[] steps = new long[n];
        for (int i = 0; i < n; i++) {
            steps[i] = i;
        }
        DownsampledSeries s = store().read(List.of(only("loss", run)), StepRange.ALL, XAxis.STEP, 1000).get(0);
        assertThat(s.sampling().method()).isEqualTo("buckets");
        assertThat(s.points().size()).isLessThanOrEqualTo(1000).isGreaterThan(500);
        assertThat(s.sampling().chunksOpened()).isZero();
        assertThat(s.points().max()).contains(50.0);
        SeriesCheck.matchesRaw(s, steps, values, Long.MIN_VALUE, Long.MAX_VALUE);

        DownsampledSeries zoom = store().read(List.of(only("loss", run)), new StepRange(65_000L, 66_049L), XAxis.STEP, 200).get(0);
        assertThat(zoom.points().max()).contains(50.0);
        SeriesCheck.matchesRaw(zoom, steps, values, 65_000, 66_049);

        DownsampledSeries tail = store().read(List.of(only("loss", run)), new StepRange(119_950L, null), XAxis.STEP, 1000).get(0);
        assertThat(tail.sampling().method()).isEqualTo("all");
        assertThat(tail.points().size()).isEqualTo(50);
        assertThat(tail.sampling().chunksRead()).isEqualTo(1);
    }

    @Test
    void chunksWiderThanBucketsAreSplitExactly() {
        int n = 40_000;
        double[] values = new double[n];
        Random random = new Random(7);
        for (int i = 0; i < n; i++) {
            values[i] = random.nextGaussian();
        }
        values[12_345] = 99.0;
        values[20_000] = Double.NaN;
        values[30_001] = Double.NEGATIVE_INFINITY;
        data().scalarSeries(run, "wide", values, 10_000);
        long[] steps = new long[n];
        for (int i = 0; i < n; i++) {
            steps[i] = i;
        }
        for (XAxis x : XAxis.values()) {
            DownsampledSeries s = store().read(List.of(only("wide", run)), StepRange.ALL, x, 1000).get(0);
            assertThat(s.sampling().chunksOpened()).isEqualTo(4);
            assertThat(s.points().size()).isGreaterThan(900);
            assertThat(s.points().max()).contains(99.0);
            SeriesCheck.matchesRaw(s, steps, values, Long.MIN_VALUE, Long.MAX_VALUE);
            DownsampledSeries zoom = store().read(List.of(only("wide", run)), new StepRange(5_000L, 35_000L), x, 333).get(0);
            SeriesCheck.matchesRaw(zoom, steps, values, 5_000, 35_000);
        }
    }

    @Test
    void manyRunsAndTagsInOneRead() {
        data().scalarSeries(run, "a", new double[] {1, 2, 3}, 2);
        data().scalarSeries(run, "b", new double[5000], 64);
        data().scalarSeries(other, "a", new double[] {4}, 2);
        List<ScalarSeriesRef> refs = store().findSeries(List.of(run, other), List.of("a", "b"));
        List<DownsampledSeries> read = store().read(refs, StepRange.ALL, XAxis.STEP, 100);
        assertThat(read).extracting(DownsampledSeries::run, DownsampledSeries::tag).containsExactly(
                org.assertj.core.groups.Tuple.tuple("eval", "a"), org.assertj.core.groups.Tuple.tuple("train", "a"),
                org.assertj.core.groups.Tuple.tuple("train", "b"));
        assertThat(read.get(2).points().size()).isLessThanOrEqualTo(100);
        assertThat(read.get(2).sampling().pointsInRange()).isEqualTo(5000);
        assertThat(java.util.Arrays.stream(read.get(2).points().count()).sum()).isEqualTo(5000);
    }

    @Test
    void pixelColumnsKeepEveryColumnsFirstLastMinMaxAndTheLastPoint() {
        Random random = new Random(1514);
        long[] steps = new long[25_000];
        double[] walls = new double[steps.length];
        double[] values = new double[steps.length];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = i * 3L + (i > 10_000 ? 17 : 0);
            walls[i] = 5_000.0 + i * 0.5;
            values[i] = i % 4999 == 0 ? Double.NaN : (float) (Math.sin(i / 300.0) + random.nextGaussian() * 0.1);
        }
        values[12_345] = 40.0;
        long loss = data().series(run, "m4", "scalars", 1);
        data().scalars(loss, steps, walls, values, 1000);
        double[] short_ = java.util.Arrays.copyOf(values, 7_000);
        data().scalarSeries(other, "m4", short_, 700);
        List<ScalarSeriesRef> refs = store().findSeries(List.of(run, other), List.of("m4"));
        // Pixel columns are laid out on steps or wall times (the service refuses x=relative with width).
        for (XAxis x : List.of(XAxis.STEP, XAxis.WALL_TIME)) {
            for (StepRange range : List.of(StepRange.ALL, new StepRange(1_000L, 40_000L))) {
                List<dev.athanor.query.scalars.store.M4Series> read = store().readColumns(refs, range, x, 997);
                // Reference: the same columns over the union of both series' extents in range.
                long[] otherSteps = new long[short_.length];
                double[] otherWalls = new double[short_.length];
                for (int i = 0; i < short_.length; i++) {
                    otherSteps[i] = i;
                    otherWalls[i] = 1000.0 + i;
                }
                long[][] s = {cut(otherSteps, range), cut(steps, range)};
                double[][] w = {cutBy(otherSteps, otherWalls, range), cutBy(steps, walls, range)};
                double[][] v = {cutBy(otherSteps, short_, range), cutBy(steps, values, range)};
                double lo = x == XAxis.STEP ? Math.min(s[0][0], s[1][0]) : Math.min(w[0][0], w[1][0]);
                double hi = x == XAxis.STEP ? Math.max(s[0][s[0].length - 1], s[1][s[1].length - 1])
                        : Math.max(w[0][w[0].length - 1], w[1][w[1].length - 1]);
                // On steps the columns' edges fall on the 32-step sub-blocks of the 700-point chunks (the
                // 3000-step chunks' 128-step blocks are wider than a column: those are read point by point).
                // By wall time the 1000-point chunks (500 s) have 16-s wall blocks, the 700-point ones
                // (700 s) 32-s blocks: over the whole range columns are 16.5 s wide, so the edges fall on
                // 16 s; in 1000..40000 they are 9.7 s, narrower than any block: read point by point.
                dev.athanor.query.scalars.store.BucketLayout layout = x == XAxis.STEP
                        ? dev.athanor.query.scalars.store.BucketLayout.aligned((long) lo, (long) hi, 997, 32)
                        : range == StepRange.ALL ? dev.athanor.query.scalars.store.BucketLayout.alignedWall(lo, hi, 997, 16)
                        : dev.athanor.query.scalars.store.BucketLayout.over(x, lo, hi, 997);
                assertThat(read).extracting(dev.athanor.query.scalars.store.M4Series::run).containsExactly("eval", "train");
                for (int k = 0; k < 2; k++) {
                    M4Check.matches(read.get(k), s[k], w[k], v[k], x, layout);
                }
                assertThat(read.get(1).values()).contains(40.0);
            }
        }
    }

    @Test
    void pixelColumnsReadChunksWrittenBeforeTheSubBlocksPointByPointAndAlike() {
        Random random = new Random(30);
        long[] steps = new long[10_000];
        double[] walls = new double[steps.length];
        double[] values = new double[steps.length];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = i + (i > 4_321 ? 20 : 0); // a gap, and every chunk still spans at most 1024 steps
            walls[i] = i;
            values[i] = i % 777 == 0 ? Double.NEGATIVE_INFINITY : i % 1234 == 0 ? Double.NaN : random.nextGaussian();
        }
        long fresh = data().series(run, "blocks", "scalars", 1);
        data().scalars(fresh, steps, walls, values, 1000);
        long old = data().series(other, "blocks", "scalars", 1);
        data().scalars(old, steps, walls, values, 1000);
        // Chunks from before V1_5_51 have no summaries: every other chunk of the second series.
        data().execute("UPDATE scalar_chunk SET sub_blocks = NULL, wall_blocks = NULL WHERE series_id = ?"
                + " AND (first_step / 1000) % 2 = 0", old);
        List<ScalarSeriesRef> refs = store().findSeries(List.of(run, other), List.of("blocks"));
        for (StepRange range : List.of(StepRange.ALL, new StepRange(2_500L, 7_777L))) {
            List<dev.athanor.query.scalars.store.M4Series> read = store().readColumns(refs, range, XAxis.STEP, 100);
            long[] s = cut(steps, range);
            // 1000-step chunks have 32-step blocks: the 100 columns are laid out on 32-step edges.
            dev.athanor.query.scalars.store.BucketLayout layout =
                    dev.athanor.query.scalars.store.BucketLayout.aligned(s[0], s[s.length - 1], 100, 32);
            for (int k = 0; k < 2; k++) {
                M4Check.matches(read.get(k), s, new double[s.length], cutBy(steps, values, range), XAxis.STEP, layout);
            }
            assertThat(read.get(1).steps()).containsExactly(read.get(0).steps());
            assertThat(read.get(1).values()).containsExactly(read.get(0).values());
        }
    }

    @Test
    void pixelColumnsReadAnyMixOfChunkLayoutsAsFreshlyWrittenOnes() {
        Random random = new Random(31);
        long[] steps = new long[8_000];
        double[] walls = new double[steps.length];
        double[] values = new double[steps.length];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = i;
            walls[i] = 1_700_000_000 + i;
            values[i] = i % 777 == 0 ? Double.NEGATIVE_INFINITY : i % 1234 == 0 ? Double.NaN : random.nextGaussian();
        }
        long fresh = data().series(run, "layouts", "scalars", 1);
        data().scalars(fresh, steps, walls, values, 1000);
        long mixed = data().series(other, "layouts", "scalars", 1);
        data().scalars(mixed, steps, walls, values, 1000);
        // Chunk k of the second series: k % 4 == 0 from before V1_5_51 (no summaries), 1 from before wall
        // blocks (version 1, wall_blocks NULL), 2 from 2026-12-06 (both combined in sub_blocks), 3 current.
        data().execute("UPDATE scalar_chunk SET sub_blocks = NULL, wall_blocks = NULL WHERE series_id = ?"
                + " AND (first_step / 1000) % 4 = 0", mixed);
        data().execute("UPDATE scalar_chunk SET wall_blocks = NULL WHERE series_id = ? AND (first_step / 1000) % 4 = 1",
                mixed);
        data().combineSubBlocks(mixed, "(first_step / 1000) % 4 = 2");
        List<ScalarSeriesRef> refs = store().findSeries(List.of(run, other), List.of("layouts"));
        assertThat(refs).extracting(ScalarSeriesRef::seriesId).containsExactly(mixed, fresh);
        for (XAxis x : List.of(XAxis.STEP, XAxis.WALL_TIME)) {
            for (StepRange range : List.of(StepRange.ALL, new StepRange(1_500L, 6_250L))) {
                List<dev.athanor.query.scalars.store.M4Series> read = store().readColumns(refs, range, x, 100);
                long[] s = cut(steps, range);
                double[] w = cutBy(steps, walls, range);
                // 1000-point chunks: 32-step blocks, 32-second wall blocks (1000 s a chunk).
                dev.athanor.query.scalars.store.BucketLayout layout = x == XAxis.STEP
                        ? dev.athanor.query.scalars.store.BucketLayout.aligned(s[0], s[s.length - 1], 100, 32)
                        : dev.athanor.query.scalars.store.BucketLayout.alignedWall(w[0], w[w.length - 1], 100, 32);
                for (int k = 0; k < 2; k++) {
                    M4Check.matches(read.get(k), s, x == XAxis.STEP ? new double[s.length] : w,
                            cutBy(steps, values, range), x, layout);
                }
                assertThat(read.get(0).steps()).as("%s %s", x, range).containsExactly(read.get(1).steps());
                assertThat(read.get(0).wallTimes()).containsExactly(read.get(1).wallTimes());
                assertThat(read.get(0).values()).containsExactly(read.get(1).values());
                // (the means: M4Check, up to the rounding of summing blocks instead of points)
            }
        }
    }

    private static long[] cut(long[] steps, StepRange range) {
        return java.util.Arrays.stream(steps).filter(range::contains).toArray();
    }

    private static double[] cutBy(long[] steps, double[] values, StepRange range) {
        return java.util.stream.IntStream.range(0, steps.length).filter(i -> range.contains(steps[i]))
                .mapToDouble(i -> values[i]).toArray();
    }

    @Test
    void wallTimeAxis() {
        double[] values = new double[20_000];
        for (int i = 0; i < values.length; i++) {
            values[i] = i % 97;
        }
        data().scalarSeries(run, "wall", values, 50);
        DownsampledSeries s = store().read(List.of(only("wall", run)), StepRange.ALL, XAxis.WALL_TIME, 400).get(0);
        assertThat(s.sampling().x()).isEqualTo("wall_time");
        assertThat(s.points().size()).isLessThanOrEqualTo(400);
        long[] steps = new long[values.length];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = i;
        }
        SeriesCheck.matchesRaw(s, steps, values, Long.MIN_VALUE, Long.MAX_VALUE);
        assertThat(s.points().x()[0]).isEqualTo(s.points().wallTime()[0]);
    }
}
