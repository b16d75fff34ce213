package dev.athanor.index.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Sub-block summaries against a brute-force walk over the points of each stride-aligned block. */
class SubBlocksTest {

    private record Block(long firstStep, double firstValue, long lastStep, double lastValue, boolean hasFinite,
                         long minStep, double minValue, long maxStep, double maxValue, double sum, int finite) {
    }

    private static List<Block> decode(byte[] bytes, long firstStep) {
        List<Block> out = new ArrayList<>();
        SubBlocks.read(bytes, firstStep, (fs, fv, ls, lv, has, ms, mv, xs, xv, sum, n) ->
                out.add(new Block(fs, fv, ls, lv, has, ms, mv, xs, xv, sum, n)));
        return out;
    }

    @Test
    void theStrideCutsAChunkIntoAtMostTheTargetNumberOfBlocks() {
        assertThat(SubBlocks.stride(0, 999)).isEqualTo(32);
        assertThat(SubBlocks.stride(1000, 1999)).isEqualTo(32);
        assertThat(SubBlocks.stride(5, 5)).isEqualTo(1);
        assertThat(SubBlocks.stride(0, 31)).isEqualTo(1);
        assertThat(SubBlocks.stride(0, 32)).isEqualTo(2);
        assertThat(SubBlocks.stride(0, 9_999)).isEqualTo(512);
    }

    @Test
    void everyBlockHoldsTheFirstLastMinMaxAndFiniteSumOfItsPoints() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            int n = 1 + random.nextInt(1200);
            ScalarPoints p = new ScalarPoints(n);
            long step = random.nextInt(3) == 0 ? -random.nextInt(100) : random.nextInt(5000);
            for (int i = 0; i < n; i++) {
                step += 1 + (random.nextInt(15) == 0 ? random.nextInt(200) : 0);
                double v = switch (random.nextInt(60)) {
                    case 0 -> Double.NaN;
                    case 1 -> Double.POSITIVE_INFINITY;
                    case 2 -> Double.NEGATIVE_INFINITY;
                    case 3, 4 -> 0.5; // ties: the first occurrence is the block's extreme
                    default -> random.nextGaussian();
                };
                p.add(step, i, v);
            }
            int from = random.nextInt(Math.max(1, n / 3));
            int to = n - random.nextInt(Math.max(1, (n - from) / 3));
            check(p, from, to);
        }
    }

    private static void check(ScalarPoints p, int from, int to) {
        long first = p.steps[from];
        long stride = SubBlocks.stride(first, p.steps[to - 1]);
        byte[] bytes = SubBlocks.encode(p, from, to);
        assertThat(SubBlocks.strideOf(bytes)).isEqualTo(stride);
        List<Block> blocks = decode(bytes, first);
        assertThat(blocks.size()).isLessThanOrEqualTo(SubBlocks.TARGET_BLOCKS + 1);
        int i = from;
        for (Block b : blocks) {
            long slot = Math.floorDiv(p.steps[i], stride);
            int start = i;
            double min = Double.NaN;
            double max = Double.NaN;
            long minStep = -1;
            long maxStep = -1;
            double sum = 0;
            int finite = 0;
            for (; i < to && Math.floorDiv(p.steps[i], stride) == slot; i++) {
                double v = p.values[i];
                if (Double.isFinite(v)) {
                    if (finite == 0 || v < min) {
                        min = v;
                        minStep = p.steps[i];
                    }
                    if (finite == 0 || v > max) {
                        max = v;
                        maxStep = p.steps[i];
                    }
                    sum += v;
                    finite++;
                }
            }
            assertThat(b.firstStep()).isEqualTo(p.steps[start]);
            assertThat(Double.valueOf(b.firstValue())).isEqualTo(Double.valueOf(p.values[start]));
            assertThat(b.lastStep()).isEqualTo(p.steps[i - 1]);
            assertThat(Double.valueOf(b.lastValue())).isEqualTo(Double.valueOf(p.values[i - 1]));
            assertThat(b.hasFinite()).isEqualTo(finite > 0);
            assertThat(b.finite()).isEqualTo(finite);
            assertThat(b.sum()).isEqualTo(sum);
            if (finite > 0) {
                assertThat(b.minStep()).isEqualTo(minStep);
                assertThat(b.minValue()).isEqualTo(min);
                assertThat(b.maxStep()).isEqualTo(maxStep);
                assertThat(b.maxValue()).isEqualTo(max);
            }
        }
        assertThat(i).as("the blocks cover every point").isEqualTo(to);
    }

    @Test
    void aChunkWiderThanAnIntOfStepsHasNoSummaries() {
        ScalarPoints p = ScalarPoints.of(new long[] {0, 3_000_000_000L}, new double[] {0, 1}, new double[] {1, 2});
        assertThat(SubBlocks.encode(p, 0, 2)).isNull();
    }

    @Test
    void bytesOfAnotherFormatAreRefusedWithTheColumnNamed() {
        assertThatThrownBy(() -> SubBlocks.read(new byte[] {9, 0, 0, 0, 0, 0}, 0, (a, b, c, d, e, f, g, h, i, j, k) -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("scalar_chunk.sub_blocks");
    }
}
