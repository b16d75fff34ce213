package dev.athanor.query.blobs.store;

import dev.athanor.query.common.error.CorruptRawDataException;
import dev.athanor.query.common.error.RawDataUnavailableException;
import dev.athanor.tfevents.record.MaskedCrc32c;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads one TFRecord frame from a raw segment by offset, with positional reads (no shared stream
 * state, safe from many threads), and verifies it: the length the index expects, the length CRC
 * and the payload CRC. Paths are confined to the hot root.
 */
public final class RawSegmentReader {

    private static final int HEADER = 12;
    private static final int FOOTER = 4;

    private final Path hotRoot;

    public RawSegmentReader(Path hotRoot) {
        this.hotRoot = hotRoot.toAbsolutePath().normalize();
    }

    public byte[] readRecord(String relativePath, long offset, int expectedLength) {
        Path file = hotRoot.resolve(relativePath).normalize();
        if (!file.startsWith(hotRoot) || file.equals(hotRoot)) {
            throw new CorruptRawDataException("raw segment path '" + relativePath + "' leaves the hot root");
        }
        String where = "raw segment " + relativePath + " at offset " + offset;
        if (offset < 0 || expectedLength < 0) {
            throw new CorruptRawDataException(where + ": the index holds an impossible offset or length (" + expectedLength + ")");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, header, offset, where);
            long length = header.getLong(0);
            int lengthCrc = header.getInt(8);
            if (MaskedCrc32c.of(header.array(), 0, 8) != lengthCrc) {
                throw new CorruptRawDataException(where + ": length CRC mismatch");
            }
            if (length != expectedLength) {
                throw new CorruptRawDataException(where + ": frame holds " + length + " bytes, the index expects "
                        + expectedLength);
            }
            ByteBuffer body = ByteBuffer.allocate(expectedLength + FOOTER).order(ByteOrder.LITTLE_ENDIAN);
            readFully(channel, body, offset + HEADER, where);
            byte[] payload = new byte[expectedLength];
            body.get(0, payload);
            int storedCrc = body.getInt(expectedLength);
            if (MaskedCrc32c.of(payload) != storedCrc) {
                throw new CorruptRawDataException(where + ": payload CRC mismatch over " + expectedLength + " bytes");
            }
            return payload;
        } catch (NoSuchFileException e) {
            throw new RawDataUnavailableException("raw segment " + relativePath + " is not in hot storage");
        } catch (IOException e) {
            throw new CorruptRawDataException(where + ": " + e.getMessage(), e);
        }
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position, String where) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, at);
            if (read < 0) {
                throw new CorruptRawDataException(where + ": the segment ends before the record does");
            }
            at += read;
        }
    }

    public Path hotRoot() {
        return hotRoot;
    }

    /** True when the hot root is a readable directory (for readiness). */
    public boolean available() {
        return Files.isDirectory(hotRoot) && Files.isReadable(hotRoot);
    }
}
