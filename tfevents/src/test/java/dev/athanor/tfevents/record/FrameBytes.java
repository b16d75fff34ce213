package dev.athanor.tfevents.record;

import java.io.ByteArrayOutputStream;

/**
 * Builds TFRecord bytes by hand for tests, independently of the production code: a bitwise
 * CRC32C (Castagnoli, reflected polynomial 0x82F63B78) and TensorFlow's mask written out here.
 */
public final class FrameBytes {

    private FrameBytes() {
    }

    /** CRC32C computed one bit at a time, the slow and obviously-correct way. */
    public static int crc32c(byte[] data, int offset, int length) {
        int crc = 0xFFFFFFFF;
        for (int i = offset; i < offset + length; i++) {
            crc ^= data[i] & 0xFF;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x82F63B78 : crc >>> 1;
            }
        }
        return ~crc;
    }

    /** TensorFlow's mask: rotate right by 15 bits, add 0xa282ead8. */
    public static int masked(byte[] data, int offset, int length) {
        int crc = crc32c(data, offset, length);
        return ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
    }

    public static byte[] le64(long value) {
        byte[] out = new byte[8];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (value >>> (8 * i));
        }
        return out;
    }

    public static byte[] le32(int value) {
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            out[i] = (byte) (value >>> (8 * i));
        }
        return out;
    }

    /** The 12-byte header for {@code length}: the length and its valid masked CRC. */
    public static byte[] header(long length) {
        byte[] len = le64(length);
        return concat(len, le32(masked(len, 0, 8)));
    }

    /** A complete, valid frame around {@code payload}. */
    public static byte[] frame(byte[] payload) {
        return concat(header(payload.length), payload, le32(masked(payload, 0, payload.length)));
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** A copy of {@code bytes} with bit {@code bit} of byte {@code index} flipped. */
    public static byte[] flip(byte[] bytes, int index, int bit) {
        byte[] copy = bytes.clone();
        copy[index] ^= (byte) (1 << bit);
        return copy;
    }

    /** Deterministic filler so that payloads differ from each other. */
    public static byte[] payload(int length, int seed) {
        byte[] out = new byte[length];
        int x = seed * 0x9E3779B1 + 1;
        for (int i = 0; i < length; i++) {
            x ^= x << 13;
            x ^= x >>> 17;
            x ^= x << 5;
            out[i] = (byte) x;
        }
        return out;
    }
}
