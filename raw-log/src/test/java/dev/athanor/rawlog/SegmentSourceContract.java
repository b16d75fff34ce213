package dev.athanor.rawlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.tfevents.record.TfRecordWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** What every {@link SegmentSource} does, run against each implementation over its real storage. */
abstract class SegmentSourceContract {

    static final String SEGMENT = "p/e/r/" + SegmentNames.name(1_795_729_064L, 1, "n", 0);
    static final byte[] FIRST = "first record".getBytes(StandardCharsets.UTF_8);
    static final byte[] SECOND = "the second, longer record".getBytes(StandardCharsets.UTF_8);
    /** Where SECOND's frame starts. */
    static final long SECOND_AT = TfRecordWriter.frame(FIRST).length;

    /** Makes {@code bytes} the content of {@code segment} in the source's storage (replacing it). */
    abstract void store(String segment, byte[] bytes) throws IOException;

    abstract SegmentSource source();

    static byte[] segmentBytes() {
        byte[] a = TfRecordWriter.frame(FIRST);
        byte[] b = TfRecordWriter.frame(SECOND);
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void readsTheRecordAtAnOffset() throws IOException {
        store(SEGMENT, segmentBytes());
        assertThat(source().readFrameAt(SEGMENT, 0, FIRST.length)).isEqualTo(FIRST);
        assertThat(source().readFrameAt(SEGMENT, SECOND_AT, SECOND.length)).isEqualTo(SECOND);
    }

    @Test
    void aPayloadCrcMismatchIsCorruptionNamingSegmentAndOffset() throws IOException {
        byte[] bytes = segmentBytes();
        bytes[(int) SECOND_AT + 12 + 3] ^= 0x20;
        store(SEGMENT, bytes);
        assertThatThrownBy(() -> source().readFrameAt(SEGMENT, SECOND_AT, SECOND.length))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessageContaining("payload CRC mismatch")
                .hasMessageContaining(SEGMENT)
                .hasMessageContaining("offset " + SECOND_AT);
        assertThat(source().readFrameAt(SEGMENT, 0, FIRST.length)).isEqualTo(FIRST);
    }

    @Test
    void anOffsetOffAFrameBoundaryFailsTheLengthCrc() throws IOException {
        store(SEGMENT, segmentBytes());
        assertThatThrownBy(() -> source().readFrameAt(SEGMENT, 1, FIRST.length))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessageContaining("length CRC mismatch");
    }

    @Test
    void aLengthOtherThanTheIndexSaysIsCorruption() throws IOException {
        store(SEGMENT, segmentBytes());
        assertThatThrownBy(() -> source().readFrameAt(SEGMENT, 0, FIRST.length - 1))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessageContaining("the index expects a " + (FIRST.length - 1) + "-byte record");
        assertThatThrownBy(() -> source().readFrameAt(SEGMENT, 0, FIRST.length + 1))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessageContaining("frame holds " + FIRST.length + " bytes, the index expects " + (FIRST.length + 1));
    }

    @Test
    void aSegmentEndingBeforeTheRecordIsCorruption() throws IOException {
        byte[] bytes = segmentBytes();
        store(SEGMENT, Arrays.copyOf(bytes, bytes.length - 2));
        assertThatThrownBy(() -> source().readFrameAt(SEGMENT, SECOND_AT, SECOND.length))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessageContaining("ends before the record does");
        assertThatThrownBy(() -> source().readFrameAt(SEGMENT, bytes.length + 100, 4))
                .isInstanceOf(CorruptFrameException.class)
                .hasMessageContaining("ends before the record does");
    }

    @Test
    void aSegmentItDoesNotHoldIsNoSuchFile() {
        assertThatThrownBy(() -> source().readFrameAt("p/e/r/" + SegmentNames.name(1, 1, "n", 1), 0, 4))
                .isInstanceOf(NoSuchFileException.class);
    }
}
