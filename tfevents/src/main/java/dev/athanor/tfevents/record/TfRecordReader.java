package dev.athanor.tfevents.record;

import java.io.Closeable;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * Streams TFRecord frames from a channel without loading the source whole:
 * {@code uint64 length | uint32 masked_crc32c(length) | payload | uint32 masked_crc32c(payload)},
 * little-endian.
 *
 * <ul>
 *   <li>An incomplete frame at the end (a file still being written) is not an error: {@link #next()}
 *       answers {@link EndOfData} and a later call continues from the same offset once more bytes
 *       have arrived. Once the caller knows the source will not grow ({@link #markComplete()}),
 *       an incomplete frame is answered as {@link CorruptRecord} instead, so that {@link #resync()}
 *       can recover complete frames inside it.</li>
 *   <li>A frame that fails verification is answered as {@link CorruptRecord} (every good record
 *       before it has been delivered); {@link #resync()} then skips to the next frame whose length
 *       CRC and payload CRC both verify and says how many bytes it skipped.</li>
 * </ul>
 * Not thread-safe.
 */
public final class TfRecordReader implements Closeable {

    /** Default upper bound on one payload; larger lengths are treated as corruption. */
    public static final long DEFAULT_MAX_RECORD_BYTES = 512L * 1024 * 1024;

    /**
     * Buffer size the reader settles at: large enough that reads are few, small enough to stay in
     * the CPU's L2 cache while frames are verified and copied out of it. In bench/ (parse-bench),
     * 32 KiB to 1 MiB measured within noise of each other.
     */
    static final int PREFERRED_BUFFER = 256 * 1024;
    private static final int MIN_BUFFER = 4 * 1024;

    private static final int HEADER_BYTES = 12;
    private static final int FOOTER_BYTES = 4;
    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT_LE =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final ReadableByteChannel channel;
    private final String source;
    private final long maxRecordBytes;
    private final CRC32C crc = new CRC32C();

    private byte[] buf;
    /** Index in {@code buf} of the next unread byte. */
    private int start;
    /** Index in {@code buf} just past the last byte read from the channel. */
    private int end;
    /** Source offset of {@code buf[start]}. */
    private long position;
    private CorruptRecord pendingCorruption;
    private boolean complete;

    /** The buffer starts small and grows to {@link #PREFERRED_BUFFER} as long as data keeps coming. */
    public TfRecordReader(ReadableByteChannel channel, String source, long startOffset, long maxRecordBytes) {
        this(channel, source, startOffset, maxRecordBytes, MIN_BUFFER);
    }

    public TfRecordReader(ReadableByteChannel channel, String source) {
        this(channel, source, 0, DEFAULT_MAX_RECORD_BYTES);
    }

    private TfRecordReader(ReadableByteChannel channel, String source, long startOffset, long maxRecordBytes,
            int initialBuffer) {
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
        this.buf = new byte[initialBuffer];
    }

    /** Opens {@code file} for reading from {@code startOffset} (a previously returned boundary). */
    public static TfRecordReader open(Path file, long startOffset) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        try {
            channel.position(startOffset);
            // Small files get a small buffer; it grows when the file does (see makeRoom).
            long remaining = Math.max(0, channel.size() - startOffset);
            int initial = (int) Math.max(MIN_BUFFER, Math.min(PREFERRED_BUFFER, remaining + 1));
            return new TfRecordReader(channel, file.toString(), startOffset, DEFAULT_MAX_RECORD_BYTES, initial);
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

    /**
     * Declares that the source will not grow any more (its writer has closed it). From now on an
     * incomplete frame at the end is reported as {@link RecordCorruption#TRUNCATED_FRAME} rather
     * than waited for, and {@link #resync()} may skip through to the very end.
     */
    public void markComplete() {
        complete = true;
    }

    public boolean isComplete() {
        return complete;
    }

    /** Reads the next frame. Once corruption is found, answers it again until {@link #resync()}. */
    public ReadResult next() throws IOException {
        if (pendingCorruption != null) {
            return pendingCorruption;
        }
        if (end - start < HEADER_BYTES && !fill(HEADER_BYTES)) {
            return endOfData(HEADER_BYTES);
        }
        int header = start;
        long length = (long) LONG_LE.get(buf, header);
        int storedLengthCrc = (int) INT_LE.get(buf, header + 8);
        int computedLengthCrc = maskedCrc(header, 8);
        if (computedLengthCrc != storedLengthCrc) {
            return corrupt(RecordCorruption.LENGTH_CRC_MISMATCH,
                    "length CRC mismatch (stored 0x%08x, computed 0x%08x)".formatted(
                            storedLengthCrc, computedLengthCrc));
        }
        if (length < 0 || length > maxRecordBytes) {
            return corrupt(RecordCorruption.LENGTH_TOO_LARGE,
                    "record length %s exceeds the limit of %d bytes".formatted(
                            Long.toUnsignedString(length), maxRecordBytes));
        }
        int payloadLength = (int) length;
        int frameLength = HEADER_BYTES + payloadLength + FOOTER_BYTES;
        if (end - start < frameLength && !fill(frameLength)) {
            return endOfData(frameLength);
        }
        int payloadStart = start + HEADER_BYTES;
        int storedPayloadCrc = (int) INT_LE.get(buf, payloadStart + payloadLength);
        int computedPayloadCrc = maskedCrc(payloadStart, payloadLength);
        if (computedPayloadCrc != storedPayloadCrc) {
            return corrupt(RecordCorruption.PAYLOAD_CRC_MISMATCH,
                    "payload CRC mismatch over %d bytes (stored 0x%08x, computed 0x%08x)".formatted(
                            payloadLength, storedPayloadCrc, computedPayloadCrc));
        }
        byte[] payload = new byte[payloadLength];
        System.arraycopy(buf, payloadStart, payload, 0, payloadLength);
        TfRecord record = new TfRecord(position, payload);
        start += frameLength;
        position += frameLength;
        return record;
    }

    /**
     * After a {@link CorruptRecord}: moves forward to the next offset where a complete frame
     * verifies (both CRCs). While the source may still grow, it also stops where a frame whose
     * length verifies runs past the end of the data (a tail still being written), or within 11
     * bytes of the end; once {@link #markComplete() complete}, it skips to the very end if no
     * frame verifies.
     *
     * @return the number of bytes skipped
     */
    public long resync() throws IOException {
        if (pendingCorruption == null) {
            throw new IllegalStateException("resync() is only meaningful after a CorruptRecord");
        }
        long from = position;
        pendingCorruption = null;
        skip(1);
        while (true) {
            if (end - start < HEADER_BYTES && !fill(HEADER_BYTES)) {
                if (complete) {
                    skip(end - start);
                }
                break;
            }
            if (frameStartsHere()) {
                break;
            }
            skip(1);
        }
        return position - from;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    /** Whether resync may stop at {@code start}; at least a header is buffered. */
    private boolean frameStartsHere() throws IOException {
        // The length bound first: it rejects almost every offset in garbage without a CRC.
        long length = (long) LONG_LE.get(buf, start);
        if (length < 0 || length > maxRecordBytes) {
            return false;
        }
        if (maskedCrc(start, 8) != (int) INT_LE.get(buf, start + 8)) {
            return false;
        }
        int frameLength = HEADER_BYTES + (int) length + FOOTER_BYTES;
        if (end - start < frameLength && !fill(frameLength)) {
            // A verified length that runs past the data: the tail of a file still being written.
            return !complete;
        }
        return maskedCrc(start + HEADER_BYTES, (int) length)
                == (int) INT_LE.get(buf, start + HEADER_BYTES + (int) length);
    }

    private ReadResult endOfData(int frameLength) {
        int partial = end - start;
        if (complete && partial > 0) {
            String what = partial < HEADER_BYTES
                    ? "the data ends %d bytes into the %d-byte frame header".formatted(partial, HEADER_BYTES)
                    : "the data ends %d bytes into a frame of %d bytes".formatted(partial, frameLength);
            return corrupt(RecordCorruption.TRUNCATED_FRAME, what);
        }
        return new EndOfData(position, partial);
    }

    private CorruptRecord corrupt(RecordCorruption kind, String what) {
        pendingCorruption = new CorruptRecord(source, position, kind,
                "%s: corrupt record at offset %d: %s".formatted(source, position, what));
        return pendingCorruption;
    }

    private void skip(int bytes) {
        start += bytes;
        position += bytes;
    }

    private int maskedCrc(int offset, int length) {
        crc.reset();
        crc.update(buf, offset, length);
        return MaskedCrc32c.mask((int) crc.getValue());
    }

    /**
     * Reads from the channel until at least {@code needed} unread bytes are buffered. Returns
     * false if the channel has no more bytes for now (what it had is buffered).
     */
    private boolean fill(int needed) throws IOException {
        while (end - start < needed) {
            if (end == buf.length) {
                makeRoom(needed);
            }
            int read = channel.read(ByteBuffer.wrap(buf, end, buf.length - end));
            if (read <= 0) {
                // -1: end of the data for now (a file may grow later); 0: a non-blocking channel
                // has nothing yet. Either way the caller reports what is buffered.
                return false;
            }
            end += read;
        }
        return true;
    }

    /**
     * Frees space after {@code end}: moves the unread bytes to the front, and resizes the buffer.
     * It grows only when it is full of unread bytes (a frame larger than the buffer), at most
     * doubling, so its size stays within twice the bytes actually present even when a corrupt
     * length claims more; it settles back to {@link #PREFERRED_BUFFER} after a large frame.
     */
    private void makeRoom(int needed) {
        int unread = end - start;
        int capacity = buf.length;
        if (unread == capacity) {
            capacity = (int) Math.min(needed, 2L * capacity);
        } else if (capacity < PREFERRED_BUFFER) {
            capacity = Math.min(PREFERRED_BUFFER, 2 * capacity);
        } else if (capacity > PREFERRED_BUFFER && unread <= PREFERRED_BUFFER / 2 && needed <= PREFERRED_BUFFER) {
            capacity = PREFERRED_BUFFER;
        }
        if (capacity != buf.length) {
            byte[] resized = new byte[capacity];
            System.arraycopy(buf, start, resized, 0, unread);
            buf = resized;
        } else {
            System.arraycopy(buf, start, buf, 0, unread);
        }
        start = 0;
        end = unread;
    }

    /** Current buffer capacity, for tests of growth and shrinking. */
    int bufferCapacity() {
        return buf.length;
    }
}
