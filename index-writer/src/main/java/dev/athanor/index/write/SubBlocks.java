package dev.athanor.index.write;

import java.nio.ByteBuffer;

/**
 * A scalar chunk's sub-block summaries (scalar_chunk.sub_blocks): the chunk's steps cut at the
 * multiples of a power-of-two stride, and per non-empty block its first, last, lowest and highest
 * point (the extremes over finite values, the first occurrence on ties) and the sum and count of
 * its finite values. A chart column whose edges are multiples of the stride holds whole blocks,
 * so M4 (first, last, min, max per column) and the column mean fold from the blocks exactly,
 * without reading the chunk's points. Written by {@link PointRows} and {@link ScalarChunks};
 * decoded by query-service through {@link #read} (and {@link #readWalls}, below).
 *
 * <p>Version 2 adds <b>wall blocks</b> for charts whose x axis is wall time: the chunk's points cut
 * where their wall time crosses a multiple of a power-of-two number of seconds (the wall stride),
 * each block a maximal run of consecutive points (step order) in one such slot. A chart column
 * whose edges are multiples of the wall stride then holds whole wall blocks, the same exactness
 * argument as on steps. Wall time is non-decreasing in practice but not guaranteed (a restarted job
 * may log earlier times): a run of points that goes back and forth only makes more blocks, each
 * still inside one slot, and each block carries the lowest and highest wall time of its points so
 * a reader can check which column holds it. A chunk whose wall times are not all finite, or so
 * disordered that the blocks would exceed {@link #MAX_WALL_BLOCKS}, gets no wall blocks (charts by
 * wall time read its points).
 *
 * <p>Layout (big-endian): byte version (2), byte log2 of the stride, int block count, then per
 * block the int offsets from the chunk's first step of its first, last, min and max points (min
 * and max -1 when it holds no finite value), the double first, last, min, max values and sum, and
 * the int count of finite values. Version 2 then has: byte log2 of the wall stride (signed), int
 * wall block count (0: none), then per wall block the int step offsets of its first, last, min and
 * max points (as above), the double wall times of those four points, its lowest and highest wall
 * time, the double first, last, min, max values and sum, and the int count of finite values.
 * Version 1 (written from V1_5_51 until version 2) ends after the step blocks; it is still read.
 */
public final class SubBlocks {

    /** Blocks per chunk aimed at: a 1000-step chunk gets a stride of 32 steps, about 2 KB of summaries. */
    public static final int TARGET_BLOCKS = 32;
    /** At most this many wall blocks per chunk (wall times going back and forth make more). */
    public static final int MAX_WALL_BLOCKS = 2 * TARGET_BLOCKS;
    /** The version {@link #encode} writes; chunks of a lower one are summarized again by query-service's backfill. */
    public static final int VERSION = 2;
    static final int HEADER_BYTES = 6;
    static final int BLOCK_BYTES = 4 * 4 + 5 * 8 + 4;
    static final int WALL_HEADER_BYTES = 5;
    static final int WALL_BLOCK_BYTES = 4 * 4 + 11 * 8 + 4;
    /** The finest wall stride: 2^-20 s, about a microsecond. */
    static final int MIN_WALL_SHIFT = -20;
    /** Wall times beyond this (seconds) get no wall blocks: slots must fit a long. */
    private static final double MAX_WALL = 1e12;

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
     * The summaries of points {@code [from, to)} (steps ascending), or null when the chunk's span
     * does not fit the int offsets (such a chunk is read point by point).
     */
    public static byte[] encode(ScalarPoints p, int from, int to) {
        if (to <= from) {
            return null;
        }
        long first = p.steps[from];
        long last = p.steps[to - 1];
        if (last < first || last - first >= Integer.MAX_VALUE) {
            return null;
        }
        long stride = stride(first, last);
        int shift = Long.numberOfTrailingZeros(stride);
        int maxBlocks = (int) (Math.floorDiv(last, stride) - Math.floorDiv(first, stride)) + 1;
        ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + maxBlocks * BLOCK_BYTES + WALL_HEADER_BYTES
                + MAX_WALL_BLOCKS * WALL_BLOCK_BYTES);
        out.put((byte) VERSION).put((byte) shift).putInt(0);
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
        encodeWalls(p, from, to, out);
        byte[] bytes = new byte[out.position()];
        System.arraycopy(out.array(), 0, bytes, 0, bytes.length);
        return bytes;
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

    private static void encodeWalls(ScalarPoints p, int from, int to, ByteBuffer out) {
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
                out.position(header + WALL_HEADER_BYTES);
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

    /** Whether stored summaries carry wall blocks (version 2 with wall times it could cut). */
    public static boolean hasWallBlocks(byte[] bytes) {
        check(bytes);
        return bytes[0] >= 2 && ByteBuffer.wrap(bytes).getInt(wallHeader(bytes) + 1) > 0;
    }

    /** The wall stride (seconds) of stored summaries that {@link #hasWallBlocks have wall blocks}. */
    public static double wallStrideOf(byte[] bytes) {
        check(bytes);
        return Math.scalb(1.0, bytes[wallHeader(bytes)]);
    }

    /** Hands every wall block of stored summaries (none unless {@link #hasWallBlocks}) to {@code visitor}. */
    public static void readWalls(byte[] bytes, long chunkFirstStep, WallVisitor visitor) {
        check(bytes);
        if (bytes[0] < 2) {
            return;
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int header = wallHeader(bytes);
        int blocks = in.getInt(header + 1);
        in.position(header + WALL_HEADER_BYTES);
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

    /** The version of stored summaries. */
    public static int versionOf(byte[] bytes) {
        check(bytes);
        return bytes[0];
    }

    private static int wallHeader(byte[] bytes) {
        return HEADER_BYTES + ByteBuffer.wrap(bytes).getInt(2) * BLOCK_BYTES;
    }

    /** The stride of stored summaries. */
    public static long strideOf(byte[] bytes) {
        check(bytes);
        return 1L << bytes[1];
    }

    /** Hands every block of stored summaries of the chunk starting at {@code chunkFirstStep} to {@code visitor}. */
    public static void read(byte[] bytes, long chunkFirstStep, Visitor visitor) {
        check(bytes);
        ByteBuffer in = ByteBuffer.wrap(bytes);
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

    private static void check(byte[] bytes) {
        if (!valid(bytes)) {
            throw new IllegalStateException("scalar_chunk.sub_blocks: not version 1 or " + VERSION + " summaries of a"
                    + " valid length (" + bytes.length + " bytes)");
        }
    }

    private static boolean valid(byte[] bytes) {
        if (bytes.length < HEADER_BYTES || bytes[0] < 1 || bytes[0] > VERSION) {
            return false;
        }
        long steps = HEADER_BYTES + (long) ByteBuffer.wrap(bytes).getInt(2) * BLOCK_BYTES;
        if (bytes[0] == 1) {
            return bytes.length == steps;
        }
        return bytes.length >= steps + WALL_HEADER_BYTES && bytes.length == steps + WALL_HEADER_BYTES
                + (long) ByteBuffer.wrap(bytes).getInt((int) steps + 1) * WALL_BLOCK_BYTES;
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
