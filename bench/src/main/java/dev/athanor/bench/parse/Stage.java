package dev.athanor.bench.parse;

import dev.athanor.tfevents.decode.RunDecoder;
import dev.athanor.tfevents.event.EventFileReader;
import dev.athanor.tfevents.event.EventRecord;
import dev.athanor.tfevents.record.EndOfData;
import dev.athanor.tfevents.record.ReadResult;
import dev.athanor.tfevents.record.TfRecord;
import dev.athanor.tfevents.record.TfRecordReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * One pass of increasing work over an event file. Each returns what it counted plus a checksum
 * of what it produced, so that the JIT cannot discard the work.
 */
enum Stage {

    /** Reads the bytes the way the reader does and CRC32Cs them: the ceiling for any parser. */
    CRC32C_ONLY("CRC32C only (ceiling)") {
        @Override
        Counts run(Path file) throws IOException {
            CRC32C crc = new CRC32C();
            ByteBuffer buffer = ByteBuffer.allocate(READ_BUFFER);
            long bytes = 0;
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
                for (int read; (read = channel.read(buffer.clear())) > 0; ) {
                    crc.update(buffer.array(), 0, read);
                    bytes += read;
                }
            }
            return new Counts(bytes, 0, crc.getValue());
        }
    },

    /** TFRecord framing with both masked CRCs verified, payloads copied out. */
    FRAMING("framing + both CRCs") {
        @Override
        Counts run(Path file) throws IOException {
            long records = 0;
            long sink = 0;
            try (TfRecordReader reader = TfRecordReader.open(file)) {
                reader.markComplete();
                while (true) {
                    ReadResult result = reader.next();
                    if (result instanceof TfRecord record) {
                        records++;
                        sink += record.payload().length;
                    } else if (result instanceof EndOfData end) {
                        return new Counts(end.offset(), records, sink);
                    } else {
                        throw new IllegalStateException("benchmark input is damaged: " + result);
                    }
                }
            }
        }
    },

    /** Framing plus parsing each payload into a tensorboard.Event. */
    EVENT_PARSE("+ Event parse") {
        @Override
        Counts run(Path file) throws IOException {
            long events = 0;
            long sink = 0;
            try (EventFileReader reader = EventFileReader.open(file, Stage::damaged)) {
                reader.markComplete();
                for (EventRecord record = reader.next(); record != null; record = reader.next()) {
                    events++;
                    sink += record.event().getStep();
                }
                return new Counts(reader.position(), events, sink);
            }
        }
    },

    /** Parsing plus TensorBoard's data_compat migration and typed decoding (RunDecoder). */
    FULL_DECODE("+ full decode (RunDecoder)") {
        @Override
        Counts run(Path file) throws IOException {
            long events = 0;
            long[] sink = {0};
            RunDecoder decoder = new RunDecoder(file.getParent().toString());
            try (EventFileReader reader = EventFileReader.open(file, Stage::damaged)) {
                reader.markComplete();
                for (EventRecord record = reader.next(); record != null; record = reader.next()) {
                    events++;
                    decoder.decode(record.event(), value -> sink[0] += value.step());
                }
                return new Counts(reader.position(), events, sink[0] + decoder.values());
            }
        }
    };

    /** Same size as the record reader's buffer, so the ceiling reads as the reader does. */
    static final int READ_BUFFER = 256 * 1024;

    private final String label;

    Stage(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    abstract Counts run(Path file) throws IOException;

    /** Bytes read, events (or records) seen, and a value derived from the output. */
    record Counts(long bytes, long events, long checksum) {
        Counts plus(Counts other) {
            return new Counts(bytes + other.bytes, events + other.events, checksum + other.checksum);
        }
    }

    private static void damaged(Object problem) {
        throw new IllegalStateException("benchmark input is damaged: " + problem);
    }
}
