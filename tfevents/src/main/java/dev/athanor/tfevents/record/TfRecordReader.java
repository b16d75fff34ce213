package dev.athanor.tfevents.record;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Streams TFRecord frames from a channel without loading the source whole:
 * {@code uint64 length | uint32 masked_crc32c(length) | payload | uint32 masked_crc32c(payload)},
 * little-endian.
 *
 * <ul>
 *   <li>An incomplete frame at the end (a file still being written) is not an error: {@link #next()}
 *       answers {@link EndOfData} and a later call continues from the same offset once more bytes
 *       have arrived.</li>
 *   <li>A frame that fails verification is answered as {@link CorruptRecord} (every good record
 *       before it has been delivered); {@link #resync()} then skips to the next frame whose length
 *       CRC and payload CRC both verify and says how many bytes it skipped.</li>
 * </ul>
 * Not thread-safe.
 */
public final class TfRecordReader implements Closeable {

    /** Default upper bound on one payload; larger lengths are treated as corruption. */
    public static final long DEFAULT_MAX_RECORD_BYTES = 512L * 1024 * 1024;

    private static final int HEADER_BYTES = 12;
    private static final int FOOTER_BYTES = 4;
    private static final int INITIAL_BUFFER = 1 << 20;

    private final ReadableByteChannel channel;
    private final String source;
    private final long maxRecordBytes;

    private byte[] buf = new byte[INITIAL_BUFFER];
    private ByteBuffer view = wrap(buf);
    private int start;
    private int end;
    /** Source offset of {@code buf[start]}. */
    private long position;
    private CorruptRecord pendingCorruption;

    public TfRecordReader(ReadableByteChannel channel, String source, long startOffset, long maxRecordBytes) {
        this.channel = Objects.requireNonNull(channel, "channel");
        this.source = Objects.requireNonNull(source, "source");
        if (startOffset < 0) {
            throw new IllegalArgumentException("startOffset must be >= 0: " + startOffset);
        }
        if (maxRecordBytes <= 0 || maxRecordBytes > Integer.MAX_VALUE - HEADER_BYTES - FOOTER_BYTES - 16) {
            throw new IllegalArgumentException("maxRecordBytes out of range: " + maxRecordBytes);
        }
        this.position = startOffset;
        this.maxRecordBytes = maxRecordBytes;
    }

    public TfRecordReader(ReadableByteChannel channel, String source) {
        this(channel, source, 0, DEFAULT_MAX_RECORD_BYTES);
    }

    /** Opens {@code file} for reading from {@code startOffset} (a previously returned boundary). */
    public static TfRecordReader open(Path file, long startOffset) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            channel.position(startOffset);
            return new TfRecordReader(channel, file.toString(), startOffset, DEFAULT_MAX_RECORD_BYTES);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public static TfRecordReader open(Path file) throws IOException {
        return open(file, 0);
    }

    /** Name of the source used in messages. */
    public String source() {
        return source;
    }

    /**
     * Offset of the next unread byte: the end of the last delivered record (or the offset of a
     * pending corrupt frame). Everything before it has been delivered or skipped.
     */
    public long position() {
        return position;
    }

    /** Reads the next frame. Once corruption is found, answers it again until {@link #resync()}. */
    public ReadResult next() throws IOException {
        if (pendingCorruption != null) {
            return pendingCorruption;
        }
        if (!ensure(HEADER_BYTES)) {
            return new EndOfData(position, end - start);
        }
        long length = readLongLe(start);
        int storedLengthCrc = readIntLe(start + 8);
        if (MaskedCrc32c.of(buf, start, 8) != storedLengthCrc) {
            return corrupt(RecordCorruption.LENGTH_CRC_MISMATCH,
                    "length CRC mismatch (stored 0x%08x, computed 0x%08x)".formatted(
                            storedLengthCrc, MaskedCrc32c.of(buf, start, 8)));
        }
        if (length < 0 || length > maxRecordBytes) {
            return corrupt(RecordCorruption.LENGTH_TOO_LARGE,
                    "record length %s exceeds the limit of %d bytes".formatted(
                            Long.toUnsignedString(length), maxRecordBytes));
        }
        int payloadLength = (int) length;
        int frameLength = HEADER_BYTES + payloadLength + FOOTER_BYTES;
        if (!ensure(frameLength)) {
            return new EndOfData(position, end - start);
        }
        int payloadStart = start + HEADER_BYTES;
        int storedPayloadCrc = readIntLe(payloadStart + payloadLength);
        int computedPayloadCrc = MaskedCrc32c.of(buf, payloadStart, payloadLength);
        if (computedPayloadCrc != storedPayloadCrc) {
            return corrupt(RecordCorruption.PAYLOAD_CRC_MISMATCH,
                    "payload CRC mismatch over %d bytes (stored 0x%08x, computed 0x%08x)".formatted(
                            payloadLength, storedPayloadCrc, computedPayloadCrc));
        }
        byte[] payload = new byte[payloadLength];
        System.arraycopy(buf, payloadStart, payload, 0, payloadLength);
        TfRecord record = new TfRecord(position, payload);
        advance(frameLength);
        return record;
    }

    /**
     * After a {@link CorruptRecord}: moves forward to the next offset where a complete frame
     * verifies (both CRCs), or where a frame whose length verifies runs past the end of the data
     * (a truncated tail that may still grow), or to within 11 bytes of the end.
     *
     * @return the number of bytes skipped
     */
    public long resync() throws IOException {
        if (pendingCorruption == null) {
            throw new IllegalStateException("resync() is only meaningful after a CorruptRecord");
        }
        long from = position;
        pendingCorruption = null;
        advance(1);
        while (ensure(HEADER_BYTES)) {
            if (MaskedCrc32c.of(buf, start, 8) == readIntLe(start + 8)) {
                long length = readLongLe(start);
                if (length >= 0 && length <= maxRecordBytes) {
                    int frameLength = HEADER_BYTES + (int) length + FOOTER_BYTES;
                    if (!ensure(frameLength)) {
                        break;
                    }
                    if (MaskedCrc32c.of(buf, start + HEADER_BYTES, (int) length)
                            == readIntLe(start + HEADER_BYTES + (int) length)) {
                        break;
                    }
                }
            }
            advance(1);
        }
        return position - from;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    private CorruptRecord corrupt(RecordCorruption kind, String what) {
        pendingCorruption = new CorruptRecord(source, position, kind,
                "%s: corrupt record at offset %d: %s".formatted(source, position, what));
        return pendingCorruption;
    }

    private void advance(int bytes) {
        start += bytes;
        position += bytes;
    }

    /**
     * Makes at least {@code needed} unread bytes available in {@code buf}, reading from the
     * channel. Returns false if the channel has no more bytes for now.
     */
    private boolean ensure(int needed) throws IOException {
        if (end - start >= needed) {
            return true;
        }
        if (buf.length - start < needed) {
            if (buf.length >= needed && start > 0) {
                System.arraycopy(buf, start, buf, 0, end - start);
            } else {
                byte[] grown = new byte[Math.max(needed, buf.length * 2)];
                System.arraycopy(buf, start, grown, 0, end - start);
                buf = grown;
                view = wrap(buf);
            }
            end -= start;
            start = 0;
        }
        while (end - start < needed) {
            ByteBuffer target = ByteBuffer.wrap(buf, end, buf.length - end);
            int read = channel.read(target);
            if (read < 0) {
                return false;
            }
            if (read == 0 && !target.hasRemaining()) {
                throw new IllegalStateException("buffer full while reading " + source);
            }
            end += read;
            if (read == 0) {
                // Non-blocking channels may answer 0; treat as "no more bytes for now".
                return end - start >= needed;
            }
        }
        return true;
    }

    private long readLongLe(int index) {
        return view.getLong(index);
    }

    private int readIntLe(int index) {
        return view.getInt(index);
    }

    private static ByteBuffer wrap(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
