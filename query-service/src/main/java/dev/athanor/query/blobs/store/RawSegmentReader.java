package dev.athanor.query.blobs.store;

import dev.athanor.query.archive.store.ArchivedSegments;
import dev.athanor.query.common.error.CorruptRawDataException;
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
 * Reads one TFRecord frame from a raw segment by offset and verifies it: the length the index
 * expects, the length CRC and the payload CRC. The bytes come from the hot file while it exists
 * (positional reads, safe from many threads; paths confined to the hot root) and from the
 * archived copy once the archive removed it (raw_segment.hot_deleted_at set, or the file vanished
 * between the index read and this one), found through the catalog.
 */
public final class RawSegmentReader {

    private static final int HEADER = 12;
    private static final int FOOTER = 4;

    private final Path hotRoot;
    private final ArchivedSegments archive;

    public RawSegmentReader(Path hotRoot, ArchivedSegments archive) {
        this.hotRoot = hotRoot.toAbsolutePath().normalize();
        this.archive = archive;
    }

    /** Where a segment's bytes are, as the catalog says. */
    public record Segment(long id, String relativePath, boolean hotDeleted) {
    }

    public byte[] readRecord(Segment segment, long offset, int expectedLength) {
        String where = "raw segment " + segment.relativePath() + " at offset " + offset;
        if (offset < 0 || expectedLength < 0) {
            throw new CorruptRawDataException(where + ": the index holds an impossible offset or length (" + expectedLength + ")");
        }
        int frameLength = HEADER + expectedLength + FOOTER;
        byte[] frame = segment.hotDeleted() ? null : readHot(segment.relativePath(), offset, frameLength, where);
        if (frame == null) {
            frame = archive.read(segment.id(), segment.relativePath(), offset, frameLength);
            where += " (archived copy)";
        }
        return verify(frame, expectedLength, where);
    }

    /** The frame from the hot file, or null when the file is not (any longer) there. */
    private byte[] readHot(String relativePath, long offset, int frameLength, String where) {
        Path file = hotRoot.resolve(relativePath).normalize();
        if (!file.startsWith(hotRoot) || file.equals(hotRoot)) {
            throw new CorruptRawDataException("raw segment path '" + relativePath + "' leaves the hot root");
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(frameLength);
            long at = offset;
            while (buffer.hasRemaining()) {
                int read = channel.read(buffer, at);
                if (read < 0) {
                    break;
                }
                at += read;
            }
            byte[] bytes = new byte[buffer.position()];
            buffer.get(0, bytes);
            return bytes;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new CorruptRawDataException(where + ": " + e.getMessage(), e);
        }
    }

    private static byte[] verify(byte[] frame, int expectedLength, String where) {
        if (frame.length < HEADER) {
            throw new CorruptRawDataException(where + ": the segment ends before the record does");
        }
        ByteBuffer buf = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN);
        long length = buf.getLong(0);
        if (MaskedCrc32c.of(frame, 0, 8) != buf.getInt(8)) {
            throw new CorruptRawDataException(where + ": length CRC mismatch");
        }
        if (length != expectedLength) {
            throw new CorruptRawDataException(where + ": frame holds " + length + " bytes, the index expects "
                    + expectedLength);
        }
        if (frame.length < HEADER + expectedLength + FOOTER) {
            throw new CorruptRawDataException(where + ": the segment ends before the record does");
        }
        byte[] payload = new byte[expectedLength];
        buf.get(HEADER, payload);
        if (MaskedCrc32c.of(payload) != buf.getInt(HEADER + expectedLength)) {
            throw new CorruptRawDataException(where + ": payload CRC mismatch over " + expectedLength + " bytes");
        }
        return payload;
    }

    public Path hotRoot() {
        return hotRoot;
    }

    /** True when the hot root is a readable directory (for readiness). */
    public boolean available() {
        return Files.isDirectory(hotRoot) && Files.isReadable(hotRoot);
    }
}
