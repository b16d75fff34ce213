package dev.athanor.query.scalars;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.index.write.SubBlocks;
import dev.athanor.query.scalars.store.BucketLayout;
import dev.athanor.query.scalars.store.M4Downsampler;
import dev.athanor.query.scalars.store.M4Series;
import dev.athanor.query.scalars.store.ScalarSeriesRef;
import dev.athanor.query.scalars.store.StepRange;
import dev.athanor.query.scalars.store.XAxis;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * M4 folded from the index writer's sub-block summaries against a brute-force walk over the raw
 * points ({@link M4Check}) in the columns the read lays out (edges on the blocks' stride), on
 * random series: steps with gaps, NaN and ±Infinity, ties, columns narrower and wider than a
 * block, ranges that cut chunks, and chunks without summaries (written before them) beside
 * chunks with them, in one series and in one chart.
 */
class M4SubBlocksTest {

    private final InMemoryChunks chunks = new InMemoryChunks();
    private final M4Downsampler m4 = new M4Downsampler(chunks);

    private record Raw(ScalarSeriesRef ref, long[] steps, double[] walls, double[] values, int chunkSize,
                       boolean[] summarized) {
    }

    private Raw series(long id, String tag, int n, long firstStep, int chunkSize, Random random, double oldShare) {
        return series(id, tag, n, firstStep, chunkSize, random, oldShare, false);
    }

    /** With {@code restarts}, the wall time now and then goes back (a restarted job's clock). */
    private Raw series(long id, String tag, int n, long firstStep, int chunkSize, Random random, double oldShare,
                       boolean restarts) {
        long[] steps = new long[n];
        double[] walls = new double[n];
        double[] values = new double[n];
        long step = firstStep;
        int gaps = random.nextInt(3); // none, rare or frequent gaps
        for (int i = 0; i < n; i++) {
            step += 1 + (gaps > 0 && random.nextInt(gaps == 1 ? 200 : 10) == 0 ? random.nextInt(80) : 0);
            steps[i] = step;
            double tick = switch (random.nextInt(100)) {
                case 0 -> 0; // two points at one wall time
                case 1 -> 200 * random.nextDouble(); // a pause
                case 2 -> restarts ? -300 * random.nextDouble() : 1;
                default -> 0.2 + random.nextDouble();
            };
            walls[i] = i == 0 ? 1_700_000_000 + random.nextDouble() : walls[i - 1] + tick;
            values[i] = switch (random.nextInt(300)) {
                case 0 -> Double.NaN;
                case 1 -> Double.POSITIVE_INFINITY;
                case 2 -> Double.NEGATIVE_INFINITY;
                case 3 -> 100 * random.nextGaussian();
                case 4, 5, 6 -> 0.25; // ties
                default -> (float) (Math.exp(-i / 3000.0) + random.nextGaussian() * 0.05);
            };
        }
        boolean[] summarized = new boolean[(n + chunkSize - 1) / chunkSize];
        for (int k = 0; k < summarized.length; k++) {
            summarized[k] = random.nextDouble() >= oldShare;
        }
        chunks.addWithSubBlocks(id, steps, walls, values, chunkSize, k -> summarized[k]);
        return new Raw(new ScalarSeriesRef(id, id, "run" + id, tag, n), steps, walls, values, chunkSize, summarized);
    }

    @Test
    void columnsFoldedFromSubBlocksKeepFirstLastMinMaxAndMeanOfTheRawPoints() {
        Random random = new Random(1515);
        for (int round = 0; round < 40; round++) {
            List<Raw> raws = new ArrayList<>();
            double oldShare = round % 4 == 0 ? 0 : round % 4 == 1 ? 0.3 : round % 4 == 2 ? 1 : 0.9;
            for (int s = 0; s < 5; s++) {
                int chunkSize = random.nextBoolean() ? 1000 : 1 + random.nextInt(1500);
                raws.add(series(round * 100L + s, s % 2 == 0 ? "loss" : "acc", 1 + random.nextInt(15_000),
                        random.nextInt(3) * 777L, chunkSize, random, s == 4 ? 1 : oldShare));
            }
            int columns = switch (round % 3) {
                case 0 -> 1 + random.nextInt(40);
                case 1 -> 32 + random.nextInt(200);
                default -> 1 + random.nextInt(1200);
            };
            StepRange range = switch (round % 5) {
                case 1 -> new StepRange(1_234L, 9_876L);
                case 3 -> new StepRange(null, 5_001L);
                case 4 -> new StepRange(3_333L, null);
                default -> StepRange.ALL;
            };
            check(raws, range, columns);
        }
    }

    @Test
    void aChartOfWholeSummarizedChunksReadsNoPoint() {
        Random random = new Random(5);
        List<Raw> raws = new ArrayList<>();
        for (int s = 0; s < 10; s++) {
            raws.add(series(s + 1, "loss", 10_000, 0, 1000, random, 0));
        }
        chunks.opened = 0;
        List<M4Series> out = check(raws, StepRange.ALL, 100);
        assertThat(chunks.opened).as("every column folds whole blocks").isZero();
        assertThat(out.get(0).bucketSizes().length).as("columns on 32-step edges, at most the 100 asked")
                .isBetween(50, 100);
    }

    @Test
    void aSeriesWrittenBeforeTheSummariesReadsLikeOneWrittenAfter() {
        Random random = new Random(9);
        Raw withSummaries = series(1, "loss", 5_000, 0, 1000, random, 0);
        Raw old = series(2, "loss", 5_000, 0, 1000, new Random(9), 1);
        assertThat(old.values()).containsExactly(withSummaries.values());
        List<M4Series> out = check(List.of(withSummaries, old), StepRange.ALL, 50);
        assertThat(out.get(1).steps()).containsExactly(out.get(0).steps());
        assertThat(out.get(1).values()).containsExactly(out.get(0).values());
        assertThat(out.get(1).bucketSizes()).containsExactly(out.get(0).bucketSizes());
    }

    @Test
    void columnsByWallTimeFoldedFromWallBlocksKeepFirstLastMinMaxAndMeanOfTheRawPoints() {
        Random random = new Random(2027);
        for (int round = 0; round < 40; round++) {
            List<Raw> raws = new ArrayList<>();
            double oldShare = round % 4 == 0 ? 0 : round % 4 == 1 ? 0.3 : round % 4 == 2 ? 1 : 0.9;
            for (int s = 0; s < 5; s++) {
                int chunkSize = random.nextBoolean() ? 1000 : 1 + random.nextInt(1500);
                raws.add(series(round * 100L + s, s % 2 == 0 ? "loss" : "acc", 1 + random.nextInt(15_000),
                        random.nextInt(3) * 777L, chunkSize, random, s == 4 ? 1 : oldShare, round % 3 == 2));
            }
            int columns = switch (round % 3) {
                case 0 -> 1 + random.nextInt(40);
                case 1 -> 32 + random.nextInt(200);
                default -> 1 + random.nextInt(1200);
            };
            StepRange range = switch (round % 5) {
                case 1 -> new StepRange(1_234L, 9_876L);
                case 3 -> new StepRange(null, 5_001L);
                default -> StepRange.ALL;
            };
            check(raws, range, columns, XAxis.WALL_TIME);
        }
    }

    @Test
    void aWallTimeChartOfWholeSummarizedChunksReadsNoPointEvenWhenWallTimeGoesBack() {
        Random random = new Random(6);
        List<Raw> raws = new ArrayList<>();
        for (int s = 0; s < 10; s++) {
            raws.add(series(s + 1, "loss", 10_000, 0, 1000, random, 0, s % 2 == 1));
        }
        chunks.opened = 0;
        List<M4Series> out = check(raws, StepRange.ALL, 100, XAxis.WALL_TIME);
        assertThat(chunks.opened).as("every column folds whole wall blocks").isZero();
        assertThat(out.get(0).bucketSizes().length).as("columns on the wall stride, at most the 100 asked")
                .isBetween(30, 100);
    }

    @Test
    void aWallTimeChartReadsChunksOfVersion1SummariesPointByPointAndTheSame() {
        Random random = new Random(10);
        Raw v2 = series(1, "loss", 5_000, 0, 1000, random, 0);
        Raw v1 = series(2, "loss", 5_000, 0, 1000, new Random(10), 0);
        chunks.toVersion1(2);
        assertThat(v1.walls()).containsExactly(v2.walls());
        List<M4Series> wall = m4.read(List.of(v2.ref(), v1.ref()), StepRange.ALL, XAxis.WALL_TIME, 50);
        List<M4Series> step = m4.read(List.of(v2.ref(), v1.ref()), StepRange.ALL, XAxis.STEP, 50);
        for (List<M4Series> out : List.of(wall, step)) {
            assertThat(out.get(1).steps()).containsExactly(out.get(0).steps());
            assertThat(out.get(1).wallTimes()).containsExactly(out.get(0).wallTimes());
            assertThat(out.get(1).values()).containsExactly(out.get(0).values());
        }
        // Alone, the version-1 series reads by wall time point by point, in the unaligned columns.
        chunks.opened = 0;
        List<M4Series> alone = m4.read(List.of(v1.ref()), StepRange.ALL, XAxis.WALL_TIME, 50);
        assertThat(chunks.opened).isPositive();
        M4Check.matches(alone.get(0), v1.steps(), v1.walls(), v1.values(), XAxis.WALL_TIME,
                BucketLayout.over(XAxis.WALL_TIME, min(v1.walls()), max(v1.walls()), 50));
    }

    @Test
    void chunksOfThe2026_12_06LayoutFoldTheirWallBlocksFromSubBlocksAndReadAsCurrentOnes() {
        Raw current = series(1, "loss", 5_000, 0, 1000, new Random(12), 0);
        Raw combined = series(2, "loss", 5_000, 0, 1000, new Random(12), 0);
        chunks.toCombined(2);
        assertThat(combined.walls()).containsExactly(current.walls());
        for (XAxis x : List.of(XAxis.STEP, XAxis.WALL_TIME)) {
            chunks.opened = 0;
            M4Series a = m4.read(List.of(current.ref()), StepRange.ALL, x, 50).get(0);
            M4Series b = m4.read(List.of(combined.ref()), StepRange.ALL, x, 50).get(0);
            assertThat(chunks.opened).as("%s: both fold, no point read", x).isZero();
            assertThat(b.steps()).containsExactly(a.steps());
            assertThat(b.wallTimes()).containsExactly(a.wallTimes());
            assertThat(b.values()).containsExactly(a.values());
            assertThat(b.bucketSizes()).containsExactly(a.bucketSizes());
            assertThat(b.means()).containsExactly(a.means());
        }
    }

    private static double min(double[] a) {
        return Arrays.stream(a).min().orElseThrow();
    }

    private static double max(double[] a) {
        return Arrays.stream(a).max().orElseThrow();
    }

    private List<M4Series> check(List<Raw> raws, StepRange range, int columns) {
        return check(raws, range, columns, XAxis.STEP);
    }

    private List<M4Series> check(List<Raw> raws, StepRange range, int columns, XAxis x) {
        List<M4Series> out = m4.read(raws.stream().map(Raw::ref).toList(), range, x, columns);
        assertThat(out).hasSize(raws.size());
        for (int i = 0; i < raws.size(); i++) {
            Raw raw = raws.get(i);
            int[] in = M4Check.inRange(raw.steps(), range);
            int from = in[0];
            int to = in[1];
            long[] steps = Arrays.copyOfRange(raw.steps(), from, to);
            M4Check.matches(out.get(i), steps, Arrays.copyOfRange(raw.walls(), from, to),
                    Arrays.copyOfRange(raw.values(), from, to), x, x == XAxis.STEP
                            ? layoutOfTag(raws, raw.ref().tag(), range, columns)
                            : wallLayoutOfTag(raws, raw.ref().tag(), range, columns));
            assertThat(out.get(i).size()).isLessThanOrEqualTo(4 * columns);
        }
        return out;
    }

    /**
     * The reference layout by wall time: the tag's wall extent in range; edges on the largest wall
     * stride among the chunks inside the range with wall blocks not wider than the unaligned
     * columns, or the unaligned columns when the tag has none.
     */
    private static BucketLayout wallLayoutOfTag(List<Raw> raws, String tag, StepRange range, int columns) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Raw r : raws) {
            for (int i = 0; i < r.steps().length && r.ref().tag().equals(tag); i++) {
                if (range.contains(r.steps()[i])) {
                    min = Math.min(min, r.walls()[i]);
                    max = Math.max(max, r.walls()[i]);
                }
            }
        }
        if (min > max) {
            return BucketLayout.over(XAxis.WALL_TIME, 0, 0, columns);
        }
        double nominal = BucketLayout.over(XAxis.WALL_TIME, min, max, columns).width();
        double stride = 0;
        for (Raw r : raws) {
            for (int k = 0; k < r.summarized().length && r.ref().tag().equals(tag); k++) {
                int from = k * r.chunkSize();
                int to = Math.min(r.steps().length, from + r.chunkSize());
                byte[] blocks = SubBlocks.encodeWalls(dev.athanor.index.write.ScalarPoints.of(r.steps(), r.walls(),
                        r.values()), from, to);
                if (r.summarized()[k] && range.containsAll(r.steps()[from], r.steps()[to - 1])
                        && SubBlocks.hasWallBlocks(blocks) && SubBlocks.wallStrideOf(blocks) <= nominal) {
                    stride = Math.max(stride, SubBlocks.wallStrideOf(blocks));
                }
            }
        }
        return stride == 0 ? BucketLayout.over(XAxis.WALL_TIME, min, max, columns)
                : BucketLayout.alignedWall(min, max, columns, stride);
    }

    /**
     * The reference layout: the tag's extent in range; edges on the largest stride among the
     * summarized chunks inside the range whose blocks are not wider than the unaligned columns.
     */
    private static BucketLayout layoutOfTag(List<Raw> raws, String tag, StepRange range, int columns) {
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (Raw r : raws) {
            for (long s : r.ref().tag().equals(tag) ? r.steps() : new long[0]) {
                if (range.contains(s)) {
                    min = Math.min(min, s);
                    max = Math.max(max, s);
                }
            }
        }
        if (min > max) {
            return BucketLayout.over(XAxis.STEP, 0, 0, columns);
        }
        double nominal = BucketLayout.over(XAxis.STEP, min, max, columns).width();
        long stride = 0;
        boolean anySummaries = false;
        for (Raw r : raws) {
            for (int k = 0; k < r.summarized().length; k++) {
                int from = k * r.chunkSize();
                long first = r.steps()[from];
                long last = r.steps()[Math.min(r.steps().length, from + r.chunkSize()) - 1];
                anySummaries |= r.summarized()[k] && last >= range.lo() && first <= range.hi();
                long s = SubBlocks.stride(first, last);
                if (r.ref().tag().equals(tag) && r.summarized()[k] && range.containsAll(first, last) && s <= nominal) {
                    stride = Math.max(stride, s);
                }
            }
        }
        if (!anySummaries) {
            return BucketLayout.over(XAxis.STEP, min, max, columns);
        }
        return BucketLayout.aligned(min, max, columns, Math.max(1, stride));
    }
}
