package dev.athanor.tfevents.record;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayList;
import java.util.List;

/** Reads a {@link TfRecordReader} to the end of its data, resynchronising after corruption. */
public final class RecordDrain {

    /** A corrupt frame and how many bytes resync skipped after it. */
    public record Skip(CorruptRecord corruption, long skipped) {
    }

    /** Everything one drain saw, in order. */
    public record Outcome(List<TfRecord> records, List<Skip> skips, List<Long> offsets, EndOfData end) {

        public List<Long> recordOffsets() {
            return records.stream().map(TfRecord::offset).toList();
        }
    }

    private RecordDrain() {
    }

    public static Outcome drain(TfRecordReader reader) throws IOException {
        List<TfRecord> records = new ArrayList<>();
        List<Skip> skips = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        while (true) {
            ReadResult result = reader.next();
            offsets.add(result.offset());
            switch (result) {
                case TfRecord record -> records.add(record);
                case CorruptRecord corrupt -> skips.add(new Skip(corrupt, reader.resync()));
                case EndOfData end -> {
                    offsets.remove(offsets.size() - 1);
                    return new Outcome(records, skips, offsets, end);
                }
            }
        }
    }

    public static TfRecordReader inMemory(byte[] bytes) {
        return new TfRecordReader(Channels.newChannel(new ByteArrayInputStream(bytes)), "mem.tfrecord");
    }

    /** A channel that hands out at most {@code chunk} bytes per read, to exercise partial reads. */
    public static ReadableByteChannel trickle(byte[] bytes, int chunk) {
        return new ReadableByteChannel() {
            private int pos;
            private boolean open = true;

            @Override
            public int read(ByteBuffer dst) {
                if (pos == bytes.length) {
                    return -1;
                }
                int n = Math.min(Math.min(chunk, dst.remaining()), bytes.length - pos);
                dst.put(bytes, pos, n);
                pos += n;
                return n;
            }

            @Override
            public boolean isOpen() {
                return open;
            }

            @Override
            public void close() {
                open = false;
            }
        };
    }

    /**
     * An in-memory file that grows: reads see only the first {@link #visible} bytes, like a
     * reader racing a writer. Reading at the visible end answers -1, as a FileChannel does.
     */
    public static final class GrowingChannel implements ReadableByteChannel {
        private final byte[] bytes;
        private int visible;
        private int pos;

        public GrowingChannel(byte[] bytes, int visible) {
            this.bytes = bytes;
            this.visible = visible;
        }

        public void grow(int newVisible) {
            visible = Math.max(visible, Math.min(newVisible, bytes.length));
        }

        @Override
        public int read(ByteBuffer dst) {
            if (pos >= visible) {
                return -1;
            }
            int n = Math.min(dst.remaining(), visible - pos);
            dst.put(bytes, pos, n);
            pos += n;
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }
}
