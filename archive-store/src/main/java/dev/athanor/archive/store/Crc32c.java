package dev.athanor.archive.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.HexFormat;
import java.util.zip.CRC32C;

/** CRC32C of whole objects, and the encodings S3 and GCS use for it (base64 of 4 big-endian bytes). */
public final class Crc32c {

    private static final int BUFFER = 1 << 16;

    private Crc32c() {
    }

    /** Size and CRC32C of some bytes. */
    public record Digest(long size, long crc32c) {
        @Override
        public String toString() {
            return size + " bytes, crc32c " + hex(crc32c);
        }
    }

    public static Digest of(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        long size = 0;
        ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            int n;
            while ((n = ch.read(buf)) >= 0) {
                buf.flip();
                crc.update(buf);
                size += n;
                buf.clear();
            }
        }
        return new Digest(size, crc.getValue());
    }

    public static Digest of(InputStream in) throws IOException {
        CRC32C crc = new CRC32C();
        long size = 0;
        byte[] buf = new byte[BUFFER];
        int n;
        while ((n = in.read(buf)) >= 0) {
            crc.update(buf, 0, n);
            size += n;
        }
        return new Digest(size, crc.getValue());
    }

    public static Digest of(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return new Digest(bytes.length, crc.getValue());
    }

    public static String toBase64(long crc32c) {
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc32c).array());
    }

    public static long fromBase64(String base64) {
        byte[] bytes = Base64.getDecoder().decode(base64);
        if (bytes.length != 4) {
            throw new IllegalArgumentException("a CRC32C is 4 bytes, got " + bytes.length + " from '" + base64 + "'");
        }
        return ByteBuffer.wrap(bytes).getInt() & 0xFFFFFFFFL;
    }

    public static String hex(long crc32c) {
        return HexFormat.of().toHexDigits((int) crc32c);
    }
}
