package dev.athanor.tfevents.record;

import java.util.zip.CRC32C;

/**
 * The masked CRC32C (Castagnoli) that TFRecord framing stores after the length and after the
 * payload. Masking keeps a CRC of data that itself contains CRCs from being trivially valid.
 */
public final class MaskedCrc32c {

    private static final int MASK_DELTA = 0xa282ead8;

    private MaskedCrc32c() {
    }

    /** Applies TensorFlow's mask: rotate right by 15 bits, then add a constant (mod 2^32). */
    public static int mask(int crc) {
        return Integer.rotateRight(crc, 15) + MASK_DELTA;
    }

    /** The masked CRC32C of {@code length} bytes of {@code bytes} starting at {@code offset}. */
    public static int of(byte[] bytes, int offset, int length) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, offset, length);
        return mask((int) crc.getValue());
    }

    public static int of(byte[] bytes) {
        return of(bytes, 0, bytes.length);
    }
}
