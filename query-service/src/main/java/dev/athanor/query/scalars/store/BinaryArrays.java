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
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int n = header(in, 20);
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            int length = in.getInt();
            if (length != 8) {
                throw new IllegalStateException("bigint[] element " + i + " has length " + length);
            }
            out[i] = in.getLong();
        }
        return out;
    }

    static double[] float8(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        int n = header(in, 701);
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            int length = in.getInt();
            if (length == -1) {
                out[i] = Double.NaN;
            } else if (length == 8) {
                out[i] = in.getDouble();
            } else {
                throw new IllegalStateException("float8[] element " + i + " has length " + length);
            }
        }
        return out;
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
