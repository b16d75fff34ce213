package dev.athanor.query.scalars;

import static org.assertj.core.api.Assertions.assertThat;

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

/** M4 against a brute-force walk over the raw points ({@link M4Check}), on random series. */
class M4DownsamplerTest {

    private final InMemoryChunks chunks = new InMemoryChunks();
    private final M4Downsampler m4 = new M4Downsampler(chunks);

    private record Raw(ScalarSeriesRef ref, long[] steps, double[] walls, double[] values) {
    }

    /** Steps with gaps, wall times rising, values noisy with spikes, ties, NaN and ±Infinity. */
    private Raw series(long id, String tag, int n, long firstStep, Random random) {
        long[] steps = new long[n];
        double[] walls = new double[n];
        double[] values = new double[n];
        long step = firstStep;
        double wall = 1_700_000_000 + random.nextInt(100);
        for (int i = 0; i < n; i++) {
            step += 1 + (random.nextInt(20) == 0 ? random.nextInt(50) : 0);
            wall += random.nextDouble() * 2;
            steps[i] = step;
            walls[i] = wall;
            int kind = random.nextInt(200);
            values[i] = switch (kind) {
                case 0 -> Double.NaN;
                case 1 -> Double.POSITIVE_INFINITY;
                case 2 -> Double.NEGATIVE_INFINITY;
                case 3 -> 100 * random.nextGaussian();
                case 4, 5, 6 -> 0.25; // ties
                default -> (float) (Math.exp(-i / 3000.0) + random.nextGaussian() * 0.05);
            };
        }
        chunks.add(id, steps, walls, values, 1 + random.nextInt(1500));
        return new Raw(new ScalarSeriesRef(id, id, "run" + id, tag, n), steps, walls, values);
    }

    @Test
    void everyColumnKeepsFirstLastMinMaxAndMeanOfTheRawPoints() {
        Random random = new Random(15);
        for (int round = 0; round < 12; round++) {
            List<Raw> raws = new ArrayList<>();
            for (int s = 0; s < 6; s++) {
                raws.add(series(round * 100L + s, s % 2 == 0 ? "loss" : "acc", 1 + random.nextInt(12_000),
                        random.nextInt(3) * 500L, random));
            }
            int columns = 1 + random.nextInt(round % 3 == 0 ? 20 : 1200);
            XAxis x = round % 4 == 3 ? XAxis.WALL_TIME : XAxis.STEP;
            StepRange range = round % 3 == 1 ? new StepRange(2_000L, 9_000L) : StepRange.ALL;
            check(raws, range, x, columns);
        }
    }

    @Test
    void aSeriesOfOnePointAndAColumnOfOnlyNanKeepTheirPoints() {
        Random random = new Random(3);
        Raw one = series(1, "loss", 1, 0, random);
        Raw nan = new Raw(new ScalarSeriesRef(2, 2, "run2", "loss", 3), new long[] {10, 11, 12},
                new double[] {1, 2, 3}, new double[] {Double.NaN, Double.NaN, Double.NaN});
        chunks.add(2, nan.steps(), nan.walls(), nan.values(), 2);
        check(List.of(one, nan), StepRange.ALL, XAxis.STEP, 1000);
        M4Series reduced = m4.read(List.of(nan.ref()), StepRange.ALL, XAxis.STEP, 1).get(0);
        assertThat(reduced.steps()).containsExactly(10, 12);
        assertThat(reduced.means()).containsExactly((Double) null);
    }

    @Test
    void columnsAreSharedByTheSeriesOfATagSoEqualStepsGiveEqualColumns() {
        long[] steps = new long[5000];
        double[] walls = new double[5000];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = i * 2L;
            walls[i] = i;
        }
        double[] a = new double[steps.length];
        double[] b = new double[steps.length];
        Arrays.fill(a, 1);
        Arrays.fill(b, 2);
        chunks.add(1, steps, walls, a, 1000);
        chunks.add(2, Arrays.copyOf(steps, 2500), walls, b, 1000); // half as long: half the columns
        List<M4Series> out = m4.read(List.of(new ScalarSeriesRef(1, 1, "a", "loss", 5000),
                new ScalarSeriesRef(2, 2, "b", "loss", 2500)), StepRange.ALL, XAxis.STEP, 100);
        assertThat(out.get(0).bucketSizes()).hasSize(100);
        assertThat(out.get(1).bucketSizes()).hasSize(50);
        assertThat(Arrays.copyOf(out.get(0).steps(), out.get(1).size())).containsExactly(out.get(1).steps());
    }

    private void check(List<Raw> raws, StepRange range, XAxis x, int columns) {
        List<M4Series> out = m4.read(raws.stream().map(Raw::ref).toList(), range, x, columns);
        assertThat(out).hasSize(raws.size());
        for (int i = 0; i < raws.size(); i++) {
            Raw raw = raws.get(i);
            Raw inRange = cut(raw, range);
            M4Check.matches(out.get(i), inRange.steps(), inRange.walls(), inRange.values(), x,
                    layoutOfTag(raws, raw.ref().tag(), range, x, columns));
            assertThat(out.get(i).size()).isLessThanOrEqualTo(4 * columns);
        }
    }

    /** The reference layout: the tag's union extent in range, cut into the asked columns. */
    private static BucketLayout layoutOfTag(List<Raw> raws, String tag, StepRange range, XAxis x, int columns) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (Raw r : raws) {
            Raw c = cut(r, range);
            if (!r.ref().tag().equals(tag) || c.steps().length == 0) {
                continue;
            }
            for (int i = 0; i < c.steps().length; i++) {
                double v = x == XAxis.STEP ? c.steps()[i] : c.walls()[i];
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        return BucketLayout.over(x, min, max, columns);
    }

    private static Raw cut(Raw raw, StepRange range) {
        int[] in = M4Check.inRange(raw.steps(), range);
        int from = in[0];
        int to = in[1];
        return new Raw(raw.ref(), Arrays.copyOfRange(raw.steps(), from, to), Arrays.copyOfRange(raw.walls(), from, to),
                Arrays.copyOfRange(raw.values(), from, to));
    }
}
