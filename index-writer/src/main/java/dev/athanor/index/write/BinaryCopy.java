package dev.athanor.index.write;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds the PostgreSQL binary COPY format (header, tuples, trailer) into one growable buffer.
 * Binary COPY skips the server's text parsing of numbers and arrays, which is most of the cost of
 * loading float-heavy rows such as scalar chunks.
 */
final class BinaryCopy {

    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};
    static final int INT4_OID = 23;
    static final int INT8_OID = 20;
    static final int FLOAT8_OID = 701;

    /** A buffer grown past this is let go by {@link #clear()} rather than kept for the next stream. */
    static final int MAX_KEPT_BYTES = 8 << 20;

    private final int initialCapacity;
    private byte[] buf;
    private int size;
    private int rows;

    public BinaryCopy(int initialCapacity) {
        this.initialCapacity = Math.max(64, initialCapacity);
        buf = new byte[this.initialCapacity];
        header();
    }

    /**
     * Starts a new stream in the same buffer once the previous one was written, so a writer's
     * buffer grows to its usual batch once instead of again for every COPY (an unusually large
     * one is not kept).
     */
    public void clear() {
        if (buf.length > MAX_KEPT_BYTES) {
            buf = new byte[initialCapacity];
        }
        size = 0;
        rows = 0;
        header();
    }

    private void header() {
        put(SIGNATURE, 0, SIGNATURE.length);
        putInt(0); // flags
        putInt(0); // header extension length
    }

    public int rows() {
        return rows;
    }

    /** Starts a tuple of {@code fields} columns. */
    public BinaryCopy row(int fields) {
        rows++;
        putShort(fields);
        return this;
    }

    public BinaryCopy int8(long v) {
        putInt(8);
        putLong(v);
        return this;
    }

    public BinaryCopy int4(int v) {
        putInt(4);
        putInt(v);
        return this;
    }

    public BinaryCopy int2(int v) {
        putInt(2);
        putShort(v);
        return this;
    }

    public BinaryCopy float8(double v) {
        putInt(8);
        putLong(Double.doubleToRawLongBits(v));
        return this;
    }

    /** A float8 that may be absent (SQL NULL). */
    public BinaryCopy float8OrNull(Double v) {
        return v == null ? nul() : float8(v);
    }

    public BinaryCopy nul() {
        putInt(-1);
        return this;
    }

    public BinaryCopy bytea(byte[] bytes) {
        putInt(bytes.length);
        put(bytes, 0, bytes.length);
        return this;
    }

    public BinaryCopy text(String s) {
        return bytea(s.getBytes(StandardCharsets.UTF_8));
    }

    public BinaryCopy int8Array(long[] values, int from, int to) {
        arrayHeader(to - from, INT8_OID, 8);
        for (int i = from; i < to; i++) {
            putInt(8);
            putLong(values[i]);
        }
        return this;
    }

    public BinaryCopy float8Array(double[] values, int from, int to) {
        arrayHeader(to - from, FLOAT8_OID, 8);
        for (int i = from; i < to; i++) {
            putInt(8);
            putLong(Double.doubleToRawLongBits(values[i]));
        }
        return this;
    }

    public BinaryCopy int4Array(int[] values) {
        arrayHeader(values.length, INT4_OID, 4);
        for (int v : values) {
            putInt(4);
            putInt(v);
        }
        return this;
    }

    private void arrayHeader(int count, int oid, int elementBytes) {
        int payload = 20 + count * (4 + elementBytes);
        if (count == 0) {
            // An empty array has no dimensions.
            putInt(12);
            putInt(0);
            putInt(0);
            putInt(oid);
            return;
        }
        putInt(payload);
        putInt(1);     // dimensions
        putInt(0);     // has nulls
        putInt(oid);
        putInt(count); // dimension size
        putInt(1);     // lower bound
    }

    /** The complete COPY stream (trailer appended). */
    public byte[] finish() {
        putShort(-1);
        return buf;
    }

    public int length() {
        return size;
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }

    private void put(byte[] bytes, int off, int len) {
        ensure(len);
        System.arraycopy(bytes, off, buf, size, len);
        size += len;
    }

    private void putShort(int v) {
        ensure(2);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
    }

    private void putInt(int v) {
        ensure(4);
        buf[size++] = (byte) (v >>> 24);
        buf[size++] = (byte) (v >>> 16);
        buf[size++] = (byte) (v >>> 8);
        buf[size++] = (byte) v;
    }

    private void putLong(long v) {
        ensure(8);
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[size++] = (byte) (v >>> shift);
        }
    }
}
