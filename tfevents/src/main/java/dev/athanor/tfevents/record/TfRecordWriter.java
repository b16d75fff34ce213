package dev.athanor.tfevents.record;

import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * Writes TFRecord frames byte-identical to TensorFlow's record writer. Buffering is the
 * caller's choice (wrap the stream in a BufferedOutputStream); {@link #flush()} passes through.
 */
public final class TfRecordWriter implements Closeable, Flushable {

    private final OutputStream out;
    private final byte[] header = new byte[12];
    private final byte[] footer = new byte[4];
    private final ByteBuffer headerView = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer footerView = ByteBuffer.wrap(footer).order(ByteOrder.LITTLE_ENDIAN);
    private long bytesWritten;

    public TfRecordWriter(OutputStream out) {
        this(out, 0);
    }

    /** {@code startOffset}: the size the underlying file already has when appending. */
    public TfRecordWriter(OutputStream out, long startOffset) {
        this.out = Objects.requireNonNull(out, "out");
        this.bytesWritten = startOffset;
    }

    /** Writes one frame around {@code payload}; returns the offset at which the frame starts. */
    public long write(byte[] payload) throws IOException {
        return write(payload, 0, payload.length);
    }

    public long write(byte[] payload, int offset, int length) throws IOException {
        long frameOffset = bytesWritten;
        headerView.putLong(0, length);
        headerView.putInt(8, MaskedCrc32c.of(header, 0, 8));
        footerView.putInt(0, MaskedCrc32c.of(payload, offset, length));
        out.write(header);
        out.write(payload, offset, length);
        out.write(footer);
        bytesWritten += TfRecord.FRAME_OVERHEAD + length;
        return frameOffset;
    }

    /** Offset just past the last frame written: the size of the file so far. */
    public long position() {
        return bytesWritten;
    }

    /** Frames {@code payload} into a new array, for callers that assemble bytes themselves. */
    public static byte[] frame(byte[] payload) {
        ByteBuffer framed = ByteBuffer.allocate(TfRecord.FRAME_OVERHEAD + payload.length)
                .order(ByteOrder.LITTLE_ENDIAN);
        byte[] bytes = framed.array();
        framed.putLong(0, payload.length);
        framed.putInt(8, MaskedCrc32c.of(bytes, 0, 8));
        System.arraycopy(payload, 0, bytes, 12, payload.length);
        framed.putInt(12 + payload.length, MaskedCrc32c.of(payload));
        return bytes;
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
