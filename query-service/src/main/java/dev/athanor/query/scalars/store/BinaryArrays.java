package dev.athanor.query.scalars.store;

import java.nio.ByteBuffer;

/**
 * Decodes one-dimensional bigint[] and float8[] values from PostgreSQL's binary array format
 * ({@code array_send}): ndim, has-null flag, element type oid, then per dimension size and lower
 * bound, then per element a length and the big-endian value. A NULL element (length -1) reads as
 * NaN for float8 and is refused for bigint: scalar chunks never hold one.
 */
final class BinaryArrays {

    private BinaryArrays() {
    }

    static long[] int8(byte[] bytes) {
        long[] out = new long[length(bytes, 20)];
        int8Into(bytes, 0, out.length, out, 0);
        return out;
    }

    static double[] float8(byte[] bytes) {
        double[] out = new double[length(bytes, 701)];
        float8Into(bytes, 0, out.length, out, 0);
        return out;
    }

    /** How many elements a bigint[] ({@code oid} 20) or float8[] (701) holds. */
    static int length(byte[] bytes, int oid) {
        return header(ByteBuffer.wrap(bytes), oid);
    }

    /** Element {@code i} of a bigint[]: at a fixed place, as a bigint[] of a chunk holds no NULL. */
    static long int8At(byte[] bytes, int i) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int n = header(in, 20);
        if (i < 0 || i >= n) {
            throw new IndexOutOfBoundsException("bigint[] of " + n + " elements has no element " + i);
        }
        int at = in.position() + i * 12;
        int length = in.getInt(at);
        if (length != 8) {
            throw new IllegalStateException("bigint[] element " + i + " has length " + length);
        }
        return in.getLong(at + 4);
    }

    /** Elements {@code [from, to)} of a bigint[] into {@code out} from {@code at}. */
    static void int8Into(byte[] bytes, int from, int to, long[] out, int at) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        header(in, 20);
        in.position(in.position() + from * 12);
        for (int i = from; i < to; i++) {
            int length = in.getInt();
            if (length != 8) {
                throw new IllegalStateException("bigint[] element " + i + " has length " + length);
            }
            out[at++] = in.getLong();
        }
    }

    /** Elements {@code [from, to)} of a float8[] into {@code out} from {@code at} (read from the start: a NULL has no bytes). */
    static void float8Into(byte[] bytes, int from, int to, double[] out, int at) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        header(in, 701);
        for (int i = 0; i < to; i++) {
            int length = in.getInt();
            double value;
            if (length == -1) {
                value = Double.NaN;
            } else if (length == 8) {
                value = in.getDouble();
            } else {
                throw new IllegalStateException("float8[] element " + i + " has length " + length);
            }
            if (i >= from) {
                out[at++] = value;
            }
        }
    }

    private static int header(ByteBuffer in, int expectedOid) {
        int dimensions = in.getInt();
        in.getInt(); // has-null flag
        int oid = in.getInt();
        if (dimensions == 0) {
            return 0;
        }
        if (dimensions != 1 || oid != expectedOid) {
            throw new IllegalStateException("expected a one-dimensional array of type " + expectedOid + ", got "
                    + dimensions + " dimensions of type " + oid);
        }
        int size = in.getInt();
        in.getInt(); // lower bound
        return size;
    }
}
