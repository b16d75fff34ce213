package dev.athanor.index.write;

import java.nio.ByteBuffer;

/**
 * A scalar chunk's sub-block summaries (scalar_chunk.sub_blocks): the chunk's steps cut at the
 * multiples of a power-of-two stride, and per non-empty block its first, last, lowest and highest
 * point (the extremes over finite values, the first occurrence on ties) and the sum and count of
 * its finite values. A chart column whose edges are multiples of the stride holds whole blocks,
 * so M4 (first, last, min, max per column) and the column mean fold from the blocks exactly,
 * without reading the chunk's points. Written by {@link PointRows} and {@link ScalarChunks};
 * decoded by query-service through {@link #read}.
 *
 * <p>Layout (big-endian): byte version (1), byte log2 of the stride, int block count, then per
 * block the int offsets from the chunk's first step of its first, last, min and max points (min
 * and max -1 when it holds no finite value), the double first, last, min, max values and sum, and
 * the int count of finite values.
 */
public final class SubBlocks {

    /** Blocks per chunk aimed at: a 1000-step chunk gets a stride of 32 steps, about 2 KB of summaries. */
    public static final int TARGET_BLOCKS = 32;
    static final int VERSION = 1;
    static final int HEADER_BYTES = 6;
    static final int BLOCK_BYTES = 4 * 4 + 5 * 8 + 4;

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
        ByteBuffer out = ByteBuffer.allocate(HEADER_BYTES + maxBlocks * BLOCK_BYTES);
        out.put((byte) VERSION).put((byte) shift).putInt(0);
        int blocks = 0;
        int i = from;
        while (i < to) {
            long slot = Math.floorDiv(p.steps[i], stride);
            int start = i;
            int min = -1;
            int max = -1;
            double sum = 0;
            int finite = 0;
            for (; i < to && Math.floorDiv(p.steps[i], stride) == slot; i++) {
                double v = p.values[i];
                if (Double.isFinite(v)) {
                    if (min < 0) {
                        min = i;
                        max = i;
                    } else if (v < p.values[min]) {
                        min = i;
                    } else if (v > p.values[max]) {
                        max = i;
                    }
                    sum += v;
                    finite++;
                }
            }
            int end = i - 1;
            out.putInt((int) (p.steps[start] - first)).putInt((int) (p.steps[end] - first))
                    .putInt(min < 0 ? -1 : (int) (p.steps[min] - first)).putInt(max < 0 ? -1 : (int) (p.steps[max] - first))
                    .putDouble(p.values[start]).putDouble(p.values[end])
                    .putDouble(min < 0 ? Double.NaN : p.values[min]).putDouble(max < 0 ? Double.NaN : p.values[max])
                    .putDouble(sum).putInt(finite);
            blocks++;
        }
        out.putInt(2, blocks);
        byte[] bytes = new byte[out.position()];
        System.arraycopy(out.array(), 0, bytes, 0, bytes.length);
        return bytes;
    }

    /** Receives a chunk's blocks in step order; min and max mean nothing unless {@code hasFinite}. */
    public interface Visitor {
        void block(long firstStep, double firstValue, long lastStep, double lastValue, boolean hasFinite, long minStep,
                   double minValue, long maxStep, double maxValue, double sum, int finiteCount);
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
        if (bytes.length < HEADER_BYTES || bytes[0] != VERSION
                || bytes.length != HEADER_BYTES + ByteBuffer.wrap(bytes).getInt(2) * BLOCK_BYTES) {
            throw new IllegalStateException("scalar_chunk.sub_blocks: not version " + VERSION + " summaries of a valid"
                    + " length (" + bytes.length + " bytes)");
        }
    }
}
