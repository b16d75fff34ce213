package dev.athanor.tfevents.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class TfRecordWriterTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void frameIsByteIdenticalToOneComputedByTensorBoardsOwnCrc() throws IOException {
        byte[] payload = "hello, tfrecord".getBytes(StandardCharsets.US_ASCII);
        // Computed with tensorboard's masked_crc32c (Python) and struct.pack('<Q'/'<I'):
        // 15 as uint64 LE | masked crc of those 8 bytes | payload | masked crc of the payload.
        byte[] expected = HEX.parseHex("0f00000000000000" + "6d532b09"
                + HEX.formatHex(payload) + "9f4df5c3");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TfRecordWriter writer = new TfRecordWriter(out);
        assertThat(writer.write(payload)).isZero();
        assertThat(out.toByteArray()).isEqualTo(expected);
        assertThat(TfRecordWriter.frame(payload)).isEqualTo(expected);
        assertThat(writer.position()).isEqualTo(expected.length);
    }

    @Test
    void emptyPayloadFrame() throws IOException {
        byte[] expected = HEX.parseHex("0000000000000000" + "29039807" + "d8ea82a2");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new TfRecordWriter(out).write(new byte[0]);
        assertThat(out.toByteArray()).isEqualTo(expected);
    }

    @Test
    void framesMatchTheHandBuiltReferenceAndOffsetsAccumulate() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TfRecordWriter writer = new TfRecordWriter(out, 1000);
        byte[] first = FrameBytes.payload(33, 1);
        byte[] second = FrameBytes.payload(70_000, 2);
        assertThat(writer.write(first)).isEqualTo(1000);
        assertThat(writer.write(second, 0, second.length)).isEqualTo(1000 + 16 + 33);
        assertThat(writer.position()).isEqualTo(1000 + 16 + 33 + 16 + 70_000);
        assertThat(out.toByteArray()).isEqualTo(FrameBytes.concat(FrameBytes.frame(first), FrameBytes.frame(second)));
    }

    @Test
    void writesASliceOfALargerArray() throws IOException {
        byte[] backing = FrameBytes.payload(100, 3);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new TfRecordWriter(out).write(backing, 10, 50);
        byte[] slice = java.util.Arrays.copyOfRange(backing, 10, 60);
        assertThat(out.toByteArray()).isEqualTo(FrameBytes.frame(slice));
    }

    @Test
    void whatTheWriterWritesTheReaderReads() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TfRecordWriter writer = new TfRecordWriter(out);
        for (int i = 0; i < 100; i++) {
            writer.write(FrameBytes.payload(i * 37, i));
        }
        RecordDrain.Outcome read = RecordDrain.drain(RecordDrain.inMemory(out.toByteArray()));
        assertThat(read.skips()).isEmpty();
        assertThat(read.records()).hasSize(100);
        for (int i = 0; i < 100; i++) {
            assertThat(read.records().get(i).payload()).isEqualTo(FrameBytes.payload(i * 37, i));
        }
    }
}
