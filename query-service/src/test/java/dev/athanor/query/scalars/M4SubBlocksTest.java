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

    private record Raw(ScalarSeriesRef ref, long[] steps, double[] values, int chunkSize, boolean[] summarized) {
    }

    private Raw series(long id, String tag, int n, long firstStep, int chunkSize, Random random, double oldShare) {
        long[] steps = new long[n];
        double[] walls = new double[n];
        double[] values = new double[n];
        long step = firstStep;
        int gaps = random.nextInt(3); // none, rare or frequent gaps
        for (int i = 0; i < n; i++) {
            step += 1 + (gaps > 0 && random.nextInt(gaps == 1 ? 200 : 10) == 0 ? random.nextInt(80) : 0);
            steps[i] = step;
            walls[i] = 1_700_000_000 + i;
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
        return new Raw(new ScalarSeriesRef(id, id, "run" + id, tag, n), steps, values, chunkSize, summarized);
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

    private List<M4Series> check(List<Raw> raws, StepRange range, int columns) {
        List<M4Series> out = m4.read(raws.stream().map(Raw::ref).toList(), range, XAxis.STEP, columns);
        assertThat(out).hasSize(raws.size());
        for (int i = 0; i < raws.size(); i++) {
            Raw raw = raws.get(i);
            int[] in = M4Check.inRange(raw.steps(), range);
            int from = in[0];
            int to = in[1];
            long[] steps = Arrays.copyOfRange(raw.steps(), from, to);
            M4Check.matches(out.get(i), steps, new double[steps.length], Arrays.copyOfRange(raw.values(), from, to),
                    XAxis.STEP, layoutOfTag(raws, raw.ref().tag(), range, columns));
            assertThat(out.get(i).size()).isLessThanOrEqualTo(4 * columns);
        }
        return out;
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
