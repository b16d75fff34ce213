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

    private record WallBlock(long firstStep, double firstWall, double firstValue, long lastStep, double lastWall,
                             double lastValue, boolean hasFinite, long minStep, double minWall, double minValue,
                             long maxStep, double maxWall, double maxValue, double sum, int finite, double wallLo,
                             double wallHi) {
    }

    private static List<WallBlock> decodeWalls(byte[] bytes, long firstStep) {
        List<WallBlock> out = new ArrayList<>();
        SubBlocks.readWalls(bytes, firstStep, (fs, fw, fv, ls, lw, lv, has, ms, mw, mv, xs, xw, xv, sum, n, lo, hi) ->
                out.add(new WallBlock(fs, fw, fv, ls, lw, lv, has, ms, mw, mv, xs, xw, xv, sum, n, lo, hi)));
        return out;
    }

    /** Wall times of a job logging every ~0.5 s, with jumps, repeats, and (when {@code back}) restarts that go back. */
    private static ScalarPoints withWalls(Random random, int n, boolean back) {
        ScalarPoints p = new ScalarPoints(n);
        long step = random.nextInt(5000);
        double wall = 1_700_000_000 + random.nextInt(1000) + random.nextDouble();
        for (int i = 0; i < n; i++) {
            step += 1 + (random.nextInt(15) == 0 ? random.nextInt(200) : 0);
            wall += switch (random.nextInt(back ? 40 : 30)) {
                case 0 -> 0; // the same wall time twice
                case 1 -> 60 * random.nextDouble(); // a pause
                case 2 -> back ? -30 * random.nextDouble() : 0.5; // a restarted job's earlier clock
                default -> 0.5 * random.nextDouble();
            };
            double v = switch (random.nextInt(60)) {
                case 0 -> Double.NaN;
                case 1 -> Double.POSITIVE_INFINITY;
                case 2, 3 -> 0.5;
                default -> random.nextGaussian();
            };
            p.add(step, wall, v);
        }
        return p;
    }

    @Test
    void everyWallBlockIsARunOfPointsInOneWallSlotWithItsFirstLastMinMaxAndWallRange() {
        Random random = new Random(11);
        for (int round = 0; round < 200; round++) {
            int n = 1 + random.nextInt(1200);
            ScalarPoints p = withWalls(random, n, round % 2 == 1);
            int from = random.nextInt(Math.max(1, n / 3));
            int to = n - random.nextInt(Math.max(1, (n - from) / 3));
            byte[] bytes = SubBlocks.encodeWalls(p, from, to);
            double lowest = Double.POSITIVE_INFINITY;
            double highest = Double.NEGATIVE_INFINITY;
            for (int i = from; i < to; i++) {
                lowest = Math.min(lowest, p.wallTimes[i]);
                highest = Math.max(highest, p.wallTimes[i]);
            }
            double stride = SubBlocks.wallStride(lowest, highest);
            assertThat(stride * SubBlocks.TARGET_BLOCKS).isGreaterThanOrEqualTo(highest - lowest);
            List<WallBlock> blocks = decodeWalls(bytes, p.steps[from]);
            if (!SubBlocks.hasWallBlocks(bytes)) {
                assertThat(blocks).isEmpty();
                continue;
            }
            assertThat(SubBlocks.wallStrideOf(bytes)).isEqualTo(stride);
            int i = from;
            for (WallBlock b : blocks) {
                double slot = Math.floor(p.wallTimes[i] / stride);
                int start = i;
                int min = -1;
                int max = -1;
                double sum = 0;
                int finite = 0;
                double lo = Double.POSITIVE_INFINITY;
                double hi = Double.NEGATIVE_INFINITY;
                for (; i < to && Math.floor(p.wallTimes[i] / stride) == slot; i++) {
                    lo = Math.min(lo, p.wallTimes[i]);
                    hi = Math.max(hi, p.wallTimes[i]);
                    if (Double.isFinite(p.values[i])) {
                        min = min < 0 || p.values[i] < p.values[min] ? i : min;
                        max = max < 0 || p.values[i] > p.values[max] ? i : max;
                        sum += p.values[i];
                        finite++;
                    }
                }
                assertThat(b.firstStep()).isEqualTo(p.steps[start]);
                assertThat(b.firstWall()).isEqualTo(p.wallTimes[start]);
                assertThat(Double.valueOf(b.firstValue())).isEqualTo(Double.valueOf(p.values[start]));
                assertThat(b.lastStep()).isEqualTo(p.steps[i - 1]);
                assertThat(b.lastWall()).isEqualTo(p.wallTimes[i - 1]);
                assertThat(Double.valueOf(b.lastValue())).isEqualTo(Double.valueOf(p.values[i - 1]));
                assertThat(b.wallLo()).isEqualTo(lo);
                assertThat(b.wallHi()).isEqualTo(hi);
                assertThat(Math.floor(lo / stride)).as("the block lies in one slot").isEqualTo(Math.floor(hi / stride));
                assertThat(b.hasFinite()).isEqualTo(finite > 0);
                assertThat(b.finite()).isEqualTo(finite);
                assertThat(b.sum()).isEqualTo(sum);
                if (finite > 0) {
                    assertThat(b.minStep()).isEqualTo(p.steps[min]);
                    assertThat(b.minWall()).isEqualTo(p.wallTimes[min]);
                    assertThat(b.minValue()).isEqualTo(p.values[min]);
                    assertThat(b.maxStep()).isEqualTo(p.steps[max]);
                    assertThat(b.maxWall()).isEqualTo(p.wallTimes[max]);
                    assertThat(b.maxValue()).isEqualTo(p.values[max]);
                }
            }
            assertThat(i).as("the wall blocks cover every point").isEqualTo(to);
        }
    }

    @Test
    void wallTimesGoingBackAndForthOrNotFiniteGiveNoWallBlocksButStepBlocks() {
        ScalarPoints zigzag = new ScalarPoints(1000);
        ScalarPoints nan = new ScalarPoints(1000);
        for (int i = 0; i < 1000; i++) {
            zigzag.add(i, 1_700_000_000 + (i % 2 == 0 ? i : 1000 - i), i);
            nan.add(i, i == 500 ? Double.NaN : 1_700_000_000 + i, i);
        }
        for (ScalarPoints p : List.of(zigzag, nan)) {
            SubBlocks.Summaries s = SubBlocks.summarize(p, 0, p.size);
            assertThat(s.wallBlocks()).as("computed, with no block in it (not NULL: never computed)").isNotNull();
            assertThat(SubBlocks.hasWallBlocks(s.wallBlocks())).isFalse();
            assertThat(decodeWalls(s.wallBlocks(), 0)).isEmpty();
            assertThat(decode(s.stepBlocks(), 0)).hasSize(32);
        }
    }

    @Test
    void eachColumnHoldsOnlyItsBlocksAndSaysItsVersion() {
        ScalarPoints p = withWalls(new Random(3), 1000, false);
        SubBlocks.Summaries s = SubBlocks.summarize(p, 0, p.size);
        assertThat(s.stepBlocks()).isEqualTo(SubBlocks.encode(p, 0, p.size));
        assertThat(s.wallBlocks()).isEqualTo(SubBlocks.encodeWalls(p, 0, p.size));
        assertThat(SubBlocks.versionOf(s.stepBlocks())).isEqualTo(SubBlocks.STEP_VERSION);
        int stepBlocks = java.nio.ByteBuffer.wrap(s.stepBlocks()).getInt(2);
        assertThat(s.stepBlocks()).as("step blocks only").hasSize(SubBlocks.HEADER_BYTES + stepBlocks * SubBlocks.BLOCK_BYTES);
        assertThat(s.wallBlocks()[0]).isEqualTo((byte) SubBlocks.WALL_VERSION);
        assertThat(SubBlocks.hasWallBlocks(s.wallBlocks())).isTrue();
        // Each column's reader refuses the other column's bytes, with the column named.
        assertThatThrownBy(() -> SubBlocks.readWalls(s.stepBlocks(), 0, (a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, q,
                r) -> { })).isInstanceOf(IllegalStateException.class).hasMessageContaining("scalar_chunk.wall_blocks");
        assertThatThrownBy(() -> SubBlocks.strideOf(s.wallBlocks())).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("scalar_chunk.sub_blocks");
    }

    @Test
    void combinedVersion2SummariesAreReadAndSplitIntoTheTwoColumnsAsFreshlyWritten() {
        for (boolean back : new boolean[] {false, true}) {
            ScalarPoints p = withWalls(new Random(back ? 5 : 4), 1000, back);
            SubBlocks.Summaries fresh = SubBlocks.summarize(p, 0, p.size);
            byte[] v2 = SubBlocks.combined(fresh);
            assertThat(SubBlocks.versionOf(v2)).isEqualTo(SubBlocks.COMBINED_VERSION);
            assertThat(v2).hasSize(fresh.stepBlocks().length + fresh.wallBlocks().length - 1);
            // The step reader reads the version 2 value's step blocks as those of version 1.
            assertThat(SubBlocks.strideOf(v2)).isEqualTo(SubBlocks.strideOf(fresh.stepBlocks()));
            assertThat(decode(v2, p.steps[0])).isEqualTo(decode(fresh.stepBlocks(), p.steps[0]));
            SubBlocks.Summaries split = SubBlocks.split(v2);
            assertThat(split.stepBlocks()).isEqualTo(fresh.stepBlocks());
            assertThat(split.wallBlocks()).isEqualTo(fresh.wallBlocks());
        }
        byte[] v1 = SubBlocks.encode(withWalls(new Random(6), 100, false), 0, 100);
        assertThatThrownBy(() -> SubBlocks.split(v1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 1");
    }

    @Test
    void aChunkWiderThanAnIntOfStepsHasNoSummaries() {
        ScalarPoints p = ScalarPoints.of(new long[] {0, 3_000_000_000L}, new double[] {0, 1}, new double[] {1, 2});
        assertThat(SubBlocks.encode(p, 0, 2)).isNull();
        assertThat(SubBlocks.encodeWalls(p, 0, 2)).isNull();
        assertThat(SubBlocks.summarize(p, 0, 2)).isNull();
    }

    @Test
    void bytesOfAnotherFormatAreRefusedWithTheColumnNamed() {
        assertThatThrownBy(() -> SubBlocks.read(new byte[] {9, 0, 0, 0, 0, 0}, 0, (a, b, c, d, e, f, g, h, i, j, k) -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("scalar_chunk.sub_blocks");
    }
}
