package dev.athanor.index.write;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A scalar chunk's sub-block summaries, in two columns each read alone: the <b>step blocks</b>
 * (scalar_chunk.sub_blocks) for charts by step, the <b>wall blocks</b> (scalar_chunk.wall_blocks)
 * for charts by wall time. Written by {@link PointRows} and {@link ScalarChunks} through
 * {@link #summarize}; decoded by query-service through {@link #read} and {@link #readWalls}, and
 * converted by its backfill through {@link #split}: the formats live here and nowhere else.
 *
 * <p>Step blocks: the chunk's steps cut at the multiples of a power-of-two stride, and per non-empty
 * block its first, last, lowest and highest point (the extremes over finite values, the first
 * occurrence on ties) and the sum and count of its finite values. A chart column whose edges are
 * multiples of the stride holds whole blocks, so M4 (first, last, min, max per column) and the
 * column mean fold from the blocks exactly, without reading the chunk's points.
 *
 * <p>Wall blocks, for charts whose x axis is wall time: the chunk's points cut where their wall time
 * crosses a multiple of a power-of-two number of seconds (the wall stride), each block a maximal run
 * of consecutive points (step order) in one such slot. A chart column whose edges are multiples of
 * the wall stride then holds whole wall blocks, the same exactness argument as on steps. Wall time
 * is non-decreasing in practice but not guaranteed (a restarted job may log earlier times): a run of
 * points that goes back and forth only makes more blocks, each still inside one slot, and each
 * block carries the lowest and highest wall time of its points so a reader can check which column
 * holds it. A chunk whose wall times are not all finite, or so disordered that the blocks would
 * exceed {@link #MAX_WALL_BLOCKS}, gets wall blocks with no block in them (charts by wall time read
 * its points); a NULL wall_blocks means they were never computed (a chunk written before V1_5_57).
 *
 * <p>sub_blocks (big-endian): byte version, byte log2 of the stride, int block count, then per block
 * the int offsets from the chunk's first step of its first, last, min and max points (min and max -1
 * when it holds no finite value), the double first, last, min, max values and sum, and the int count
 * of finite values. Version 1 ({@link #STEP_VERSION}) ends there: it is what V1_5_51's writer stored
 * and what this writer stores again since wall blocks have their own column (V1_5_57). Version 2
 * ({@link #COMBINED_VERSION}, written on 2026-12-06 only, no longer written) has the wall section
 * appended: byte log2 of the wall stride (signed), int wall block count, the wall blocks. A reader
 * can thus always tell what it has: {@link #read} takes both versions' step blocks, {@link #split}
 * turns a version 2 value into the two columns' values without the points.
 *
 * <p>wall_blocks (big-endian): byte version ({@link #WALL_VERSION}, 1), then the wall section exactly
 * as version 2 of sub_blocks carried it: byte log2 of the wall stride (signed), int wall block count
 * (0: none), then per wall block the int step offsets of its first, last, min and max points (as
 * above), the double wall times of those four points, its lowest and highest wall time, the double
 * first, last, min, max values and sum, and the int count of finite values.
 */
public final class SubBlocks {

    /** Blocks per chunk aimed at: a 1000-step chunk gets a stride of 32 steps, about 2 KB of summaries. */
    public static final int TARGET_BLOCKS = 32;
    /** At most this many wall blocks per chunk (wall times going back and forth make more). */
    public static final int MAX_WALL_BLOCKS = 2 * TARGET_BLOCKS;
    /** The version of sub_blocks {@link #summarize} writes: step blocks only. */
    public static final int STEP_VERSION = 1;
    /** The version of sub_blocks that also carried the wall blocks (2026-12-06); read and {@link #split}, not written. */
    public static final int COMBINED_VERSION = 2;
    /** The version of wall_blocks {@link #summarize} writes. */
    public static final int WALL_VERSION = 1;
    static final int HEADER_BYTES = 6;
    static final int BLOCK_BYTES = 4 * 4 + 5 * 8 + 4;
    /** The wall section's header: byte log2 of the wall stride, int block count. */
    static final int WALL_SECTION_HEADER_BYTES = 5;
    static final int WALL_BLOCK_BYTES = 4 * 4 + 11 * 8 + 4;
    /** The finest wall stride: 2^-20 s, about a microsecond. */
    static final int MIN_WALL_SHIFT = -20;
    /** Wall times beyond this (seconds) get no wall blocks: slots must fit a long. */
    private static final double MAX_WALL = 1e12;

    /** A chunk's two summary columns: sub_blocks (step blocks, version 1) and wall_blocks. */
    public record Summaries(byte[] stepBlocks, byte[] wallBlocks) {
    }

    private SubBlocks() {
    }

    /**
     * The stride of a chunk from {@code firstStep} to {@code lastStep}: the smallest power of two
     * that cuts the span into at most {@link #TARGET_BLOCKS} blocks.
     */
    public static long stride(long firstStep, long lastStep) {
        long span = lastStep - firstStep + 1;
        long s = 1;
        while (s * TARGET_BLOCKS < span) {
            s <<= 1;
        }
        return s;
    }

    /**
     * Both summary columns of points {@code [from, to)} (steps ascending), or null when the chunk's
     * span does not fit the int offsets (such a chunk has neither and is read point by point).
     */
    public static Summaries summarize(ScalarPoints p, int from, int to) {
        byte[] steps = encode(p, from, to);
        return steps == null ? null : new Summaries(steps, encodeWalls(p, from, to));
    }

    /** The sub_blocks of points {@code [from, to)}, or null when the span does not fit (see {@link #summarize}). */
    public static byte[] encode(ScalarPoints p, int from, int to) {
        if (!fits(p, from, to)) {
            return null;
        }
        long first = p.steps[from];
        long last = p.steps[to - 1];
        long stride = stride(first, last);
        int shift = Long.numberOfTrailingZeros(stride);
        int maxBlocks = (int) (Math.floorDiv(last, stride) - Math.floorDiv(first, stride)) + 1;
        ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + maxBlocks * BLOCK_BYTES);
        out.put((byte) STEP_VERSION).put((byte) shift).putInt(0);
        int blocks = 0;
        int i = from;
        while (i < to) {
            long slot = Math.floorDiv(p.steps[i], stride);
            int start = i;
            Extremes x = new Extremes();
            for (; i < to && Math.floorDiv(p.steps[i], stride) == slot; i++) {
                x.add(p.values, i);
            }
            int end = i - 1;
            int min = x.min;
            int max = x.max;
            out.putInt((int) (p.steps[start] - first)).putInt((int) (p.steps[end] - first))
                    .putInt(min < 0 ? -1 : (int) (p.steps[min] - first)).putInt(max < 0 ? -1 : (int) (p.steps[max] - first))
                    .putDouble(p.values[start]).putDouble(p.values[end])
                    .putDouble(min < 0 ? Double.NaN : p.values[min]).putDouble(max < 0 ? Double.NaN : p.values[max])
                    .putDouble(x.sum).putInt(x.finite);
            blocks++;
        }
        out.putInt(2, blocks);
        return Arrays.copyOf(out.array(), out.position());
    }

    /** The wall_blocks of points {@code [from, to)}, or null when the span does not fit (see {@link #summarize}). */
    public static byte[] encodeWalls(ScalarPoints p, int from, int to) {
        if (!fits(p, from, to)) {
            return null;
        }
        ByteBuffer out = ByteBuffer.allocate(1 + WALL_SECTION_HEADER_BYTES + MAX_WALL_BLOCKS * WALL_BLOCK_BYTES);
        out.put((byte) WALL_VERSION);
        wallSection(p, from, to, out);
        return Arrays.copyOf(out.array(), out.position());
    }

    private static boolean fits(ScalarPoints p, int from, int to) {
        return to > from && p.steps[to - 1] >= p.steps[from] && p.steps[to - 1] - p.steps[from] < Integer.MAX_VALUE;
    }

    /**
     * The wall stride of points whose wall times run from {@code lowest} to {@code highest}: the
     * smallest power of two (at least 2^-20 s) that cuts that span into at most {@link #TARGET_BLOCKS} slots.
     */
    public static double wallStride(double lowest, double highest) {
        double s = Math.scalb(1.0, MIN_WALL_SHIFT);
        while (s * TARGET_BLOCKS < highest - lowest) {
            s *= 2;
        }
        return s;
    }

    private static void wallSection(ScalarPoints p, int from, int to, ByteBuffer out) {
        int header = out.position();
        out.put((byte) 0).putInt(0);
        double lowest = Double.POSITIVE_INFINITY;
        double highest = Double.NEGATIVE_INFINITY;
        for (int i = from; i < to; i++) {
            double w = p.wallTimes[i];
            if (!(Math.abs(w) < MAX_WALL)) {
                return; // NaN, infinite or absurd wall times: no wall blocks
            }
            lowest = Math.min(lowest, w);
            highest = Math.max(highest, w);
        }
        double stride = wallStride(lowest, highest);
        long first = p.steps[from];
        int blocks = 0;
        int i = from;
        while (i < to) {
            if (blocks == MAX_WALL_BLOCKS) {
                out.position(header + WALL_SECTION_HEADER_BYTES);
                out.putInt(header + 1, 0);
                return;
            }
            long slot = (long) Math.floor(p.wallTimes[i] / stride);
            int start = i;
            Extremes x = new Extremes();
            double wallLo = Double.POSITIVE_INFINITY;
            double wallHi = Double.NEGATIVE_INFINITY;
            for (; i < to && (long) Math.floor(p.wallTimes[i] / stride) == slot; i++) {
                wallLo = Math.min(wallLo, p.wallTimes[i]);
                wallHi = Math.max(wallHi, p.wallTimes[i]);
                x.add(p.values, i);
            }
            int end = i - 1;
            int min = x.min;
            int max = x.max;
            out.putInt((int) (p.steps[start] - first)).putInt((int) (p.steps[end] - first))
                    .putInt(min < 0 ? -1 : (int) (p.steps[min] - first)).putInt(max < 0 ? -1 : (int) (p.steps[max] - first))
                    .putDouble(p.wallTimes[start]).putDouble(p.wallTimes[end])
                    .putDouble(min < 0 ? Double.NaN : p.wallTimes[min]).putDouble(max < 0 ? Double.NaN : p.wallTimes[max])
                    .putDouble(wallLo).putDouble(wallHi)
                    .putDouble(p.values[start]).putDouble(p.values[end])
                    .putDouble(min < 0 ? Double.NaN : p.values[min]).putDouble(max < 0 ? Double.NaN : p.values[max])
                    .putDouble(x.sum).putInt(x.finite);
            blocks++;
        }
        out.put(header, (byte) Math.getExponent(stride));
        out.putInt(header + 1, blocks);
    }

    /**
     * The two columns' values held in a version 2 sub_blocks (step and wall blocks in one value,
     * written on 2026-12-06): the step blocks as version 1, the wall section as wall_blocks. No
     * point is needed: the blocks are the same bytes.
     */
    public static Summaries split(byte[] combined) {
        checkSteps(combined);
        if (combined[0] != COMBINED_VERSION) {
            throw new IllegalArgumentException("scalar_chunk.sub_blocks: version " + combined[0]
                    + " holds no wall blocks to split off (only version " + COMBINED_VERSION + " does)");
        }
        int section = stepEnd(combined);
        byte[] steps = Arrays.copyOf(combined, section);
        steps[0] = STEP_VERSION;
        byte[] walls = new byte[1 + combined.length - section];
        walls[0] = WALL_VERSION;
        System.arraycopy(combined, section, walls, 1, combined.length - section);
        return new Summaries(steps, walls);
    }

    /**
     * The version 2 sub_blocks the 2026-12-06 writer stored for these summaries (step and wall
     * blocks in one value): for tests and benchmarks that recreate such chunks.
     */
    public static byte[] combined(Summaries s) {
        checkSteps(s.stepBlocks());
        checkWalls(s.wallBlocks());
        byte[] out = Arrays.copyOf(s.stepBlocks(), s.stepBlocks().length + s.wallBlocks().length - 1);
        out[0] = COMBINED_VERSION;
        System.arraycopy(s.wallBlocks(), 1, out, s.stepBlocks().length, s.wallBlocks().length - 1);
        return out;
    }

    /** Receives a chunk's blocks in step order; min and max mean nothing unless {@code hasFinite}. */
    public interface Visitor {
        void block(long firstStep, double firstValue, long lastStep, double lastValue, boolean hasFinite, long minStep,
                   double minValue, long maxStep, double maxValue, double sum, int finiteCount);
    }

    /**
     * Receives a chunk's wall blocks in step order: each block's first, last, min and max points
     * (step, wall time, value; min and max mean nothing unless {@code hasFinite}), the finite sum
     * and count, and the lowest and highest wall time of its points.
     */
    public interface WallVisitor {
        void block(long firstStep, double firstWall, double firstValue, long lastStep, double lastWall, double lastValue,
                   boolean hasFinite, long minStep, double minWall, double minValue, long maxStep, double maxWall,
                   double maxValue, double sum, int finiteCount, double wallLo, double wallHi);
    }

    /** Whether stored wall_blocks hold any block (none when the chunk's wall times could not be cut). */
    public static boolean hasWallBlocks(byte[] wallBlocks) {
        checkWalls(wallBlocks);
        return ByteBuffer.wrap(wallBlocks).getInt(2) > 0;
    }

    /** The wall stride (seconds) of stored wall_blocks that {@link #hasWallBlocks have blocks}. */
    public static double wallStrideOf(byte[] wallBlocks) {
        checkWalls(wallBlocks);
        return Math.scalb(1.0, wallBlocks[1]);
    }

    /** Hands every wall block of stored wall_blocks to {@code visitor}. */
    public static void readWalls(byte[] wallBlocks, long chunkFirstStep, WallVisitor visitor) {
        checkWalls(wallBlocks);
        ByteBuffer in = ByteBuffer.wrap(wallBlocks);
        int blocks = in.getInt(2);
        in.position(1 + WALL_SECTION_HEADER_BYTES);
        for (int b = 0; b < blocks; b++) {
            long first = chunkFirstStep + in.getInt();
            long last = chunkFirstStep + in.getInt();
            int min = in.getInt();
            int max = in.getInt();
            double firstWall = in.getDouble();
            double lastWall = in.getDouble();
            double minWall = in.getDouble();
            double maxWall = in.getDouble();
            double wallLo = in.getDouble();
            double wallHi = in.getDouble();
            double firstValue = in.getDouble();
            double lastValue = in.getDouble();
            double minValue = in.getDouble();
            double maxValue = in.getDouble();
            double sum = in.getDouble();
            int finite = in.getInt();
            visitor.block(first, firstWall, firstValue, last, lastWall, lastValue, min >= 0, chunkFirstStep + min,
                    minWall, minValue, chunkFirstStep + max, maxWall, maxValue, sum, finite, wallLo, wallHi);
        }
    }

    /** The version of stored sub_blocks ({@link #STEP_VERSION} or {@link #COMBINED_VERSION}). */
    public static int versionOf(byte[] stepBlocks) {
        checkSteps(stepBlocks);
        return stepBlocks[0];
    }

    private static int stepEnd(byte[] bytes) {
        return HEADER_BYTES + ByteBuffer.wrap(bytes).getInt(2) * BLOCK_BYTES;
    }

    /** The stride of stored sub_blocks. */
    public static long strideOf(byte[] stepBlocks) {
        checkSteps(stepBlocks);
        return 1L << stepBlocks[1];
    }

    /** Hands every step block of stored sub_blocks (either version) of the chunk starting at {@code chunkFirstStep} to {@code visitor}. */
    public static void read(byte[] stepBlocks, long chunkFirstStep, Visitor visitor) {
        checkSteps(stepBlocks);
        ByteBuffer in = ByteBuffer.wrap(stepBlocks);
        int blocks = in.getInt(2);
        in.position(HEADER_BYTES);
        for (int b = 0; b < blocks; b++) {
            long first = chunkFirstStep + in.getInt();
            long last = chunkFirstStep + in.getInt();
            int min = in.getInt();
            int max = in.getInt();
            double firstValue = in.getDouble();
            double lastValue = in.getDouble();
            double minValue = in.getDouble();
            double maxValue = in.getDouble();
            double sum = in.getDouble();
            int finite = in.getInt();
            visitor.block(first, firstValue, last, lastValue, min >= 0, chunkFirstStep + min, minValue,
                    chunkFirstStep + max, maxValue, sum, finite);
        }
    }

    private static void checkSteps(byte[] bytes) {
        if (!validSteps(bytes)) {
            throw new IllegalStateException("scalar_chunk.sub_blocks: not version " + STEP_VERSION + " or "
                    + COMBINED_VERSION + " summaries of a valid length (" + bytes.length + " bytes)");
        }
    }

    private static boolean validSteps(byte[] bytes) {
        if (bytes.length < HEADER_BYTES || (bytes[0] != STEP_VERSION && bytes[0] != COMBINED_VERSION)) {
            return false;
        }
        long steps = HEADER_BYTES + (long) ByteBuffer.wrap(bytes).getInt(2) * BLOCK_BYTES;
        if (bytes[0] == STEP_VERSION) {
            return bytes.length == steps;
        }
        return bytes.length >= steps + WALL_SECTION_HEADER_BYTES && bytes.length == steps + WALL_SECTION_HEADER_BYTES
                + (long) ByteBuffer.wrap(bytes).getInt((int) steps + 1) * WALL_BLOCK_BYTES;
    }

    private static void checkWalls(byte[] bytes) {
        if (bytes.length < 1 + WALL_SECTION_HEADER_BYTES || bytes[0] != WALL_VERSION || bytes.length
                != 1 + WALL_SECTION_HEADER_BYTES + (long) ByteBuffer.wrap(bytes).getInt(2) * WALL_BLOCK_BYTES) {
            throw new IllegalStateException("scalar_chunk.wall_blocks: not version " + WALL_VERSION
                    + " wall blocks of a valid length (" + bytes.length + " bytes)");
        }
    }

    /** A block's lowest and highest finite value (first occurrence on ties) and its finite sum and count, point by point. */
    private static final class Extremes {
        int min = -1;
        int max = -1;
        double sum;
        int finite;

        void add(double[] values, int i) {
            double v = values[i];
            if (!Double.isFinite(v)) {
                return;
            }
            if (min < 0) {
                min = i;
                max = i;
            } else if (v < values[min]) {
                min = i;
            } else if (v > values[max]) {
                max = i;
            }
            sum += v;
            finite++;
        }
    }
}
