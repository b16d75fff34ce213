package dev.athanor.ingest.index;

import dev.athanor.tfevents.record.MaskedCrc32c;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads the TFRecord frames that one journal append says lie at {@code [start, end)} of a segment
 * and checks their framing (length CRC, payload CRC, no frame past the range), before any of them
 * is indexed. The bytes read are folded into the segment's seal checksum on the way.
 */
final class SegmentFrameReader {

    /** The frames of one range: payload {@code i} is {@code bytes[payloadOffset(i), + payloadLength(i))}. */
    static final class Frames {
        private final byte[] bytes;
        private final long start;
        private final int[] frameOffsets;
        private final int[] lengths;
        private final int count;

        private Frames(byte[] bytes, long start, int[] frameOffsets, int[] lengths, int count) {
            this.bytes = bytes;
            this.start = start;
            this.frameOffsets = frameOffsets;
            this.lengths = lengths;
            this.count = count;
        }

        int count() {
            return count;
        }

        byte[] bytes() {
            return bytes;
        }

        /** Where frame {@code i} begins, relative to the range (and so to the source file's range too). */
        int frameOffset(int i) {
            return frameOffsets[i];
        }

        /** Where frame {@code i} begins in the segment. */
        long segmentOffset(int i) {
            return start + frameOffsets[i];
        }

        int payloadOffset(int i) {
            return frameOffsets[i] + 12;
        }

        int payloadLength(int i) {
            return lengths[i];
        }
    }

    /** A read buffer grown past this is let go after its read rather than kept for the thread's next one. */
    static final int MAX_KEPT_BYTES = 8 << 20;

    private final SegmentFiles segmentFiles;
    /** Each reading thread's buffers, grown to its largest range (bytes up to MAX_KEPT_BYTES) and reused. */
    private final ThreadLocal<Scratch> scratch = ThreadLocal.withInitial(Scratch::new);

    /** A reading thread's buffers: the range's bytes and where its frames lie. */
    private static final class Scratch {
        byte[] bytes = new byte[1 << 16];
        final IntList offsets = new IntList();
        final IntList lengths = new IntList();
    }

    SegmentFrameReader(SegmentFiles segmentFiles) {
        this.segmentFiles = segmentFiles;
    }

    /**
     * Reads and checks the frames at {@code [start, end)} of {@code seg}, a segment of the run in
     * {@code runDir}. The frames are this thread's read buffers: valid until its next read.
     */
    Frames read(Path runDir, String relativePath, RunIndexState.SegmentProgress seg, long start, long end)
            throws IOException {
        if (seg.channel == null) {
            seg.channel = segmentFiles.open(runDir.resolve(seg.name), relativePath);
        }
        int length = Math.toIntExact(end - start);
        Scratch s = scratch.get();
        byte[] bytes = s.bytes;
        if (bytes.length < length) {
            bytes = new byte[Math.max(length, Math.min(2 * bytes.length, MAX_KEPT_BYTES))];
            if (bytes.length <= MAX_KEPT_BYTES) {
                s.bytes = bytes;
            }
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes, 0, length);
        long at = start;
        while (buf.hasRemaining()) {
            int n = seg.channel.read(buf, at);
            if (n < 0) {
                throw new IOException(seg.name + ": segment ends before offset " + end
                        + " that the journal says is durable");
            }
            at += n;
        }
        seg.checksum.update(start, bytes, length);
        return frames(seg.name, bytes, start, end, s.offsets, s.lengths);
    }

    /** Splits {@code bytes[0, end - start)}, the segment's range {@code [start, end)}, into checked frames. */
    static Frames frames(String segmentName, byte[] bytes, long start, long end) throws IOException {
        return frames(segmentName, bytes, start, end, new IntList(), new IntList());
    }

    private static Frames frames(String segmentName, byte[] bytes, long start, long end, IntList offsets,
                                 IntList lengths) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int length = Math.toIntExact(end - start);
        offsets.clear();
        lengths.clear();
        int off = 0;
        while (off < length) {
            long payloadLength = buf.getLong(off);
            if (buf.getInt(off + 8) != MaskedCrc32c.of(bytes, off, 8) || payloadLength < 0
                    || off + 16 + payloadLength > length) {
                throw new IOException("%s: damaged frame at offset %d (journal range %d-%d)"
                        .formatted(segmentName, start + off, start, end));
            }
            int len = (int) payloadLength;
            if (buf.getInt(off + 12 + len) != MaskedCrc32c.of(bytes, off + 12, len)) {
                throw new IOException("%s: payload CRC mismatch at offset %d".formatted(segmentName, start + off));
            }
            offsets.add(off);
            lengths.add(len);
            off += 16 + len;
        }
        return new Frames(bytes, start, offsets.values, lengths.values, offsets.size);
    }

    /** A growable int array, so a range of many small frames costs no boxing; reused from range to range. */
    private static final class IntList {
        private int[] values = new int[16];
        private int size;

        void clear() {
            size = 0;
        }

        void add(int v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

    }
}
