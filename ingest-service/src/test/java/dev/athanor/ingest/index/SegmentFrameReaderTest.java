package dev.athanor.ingest.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.tfevents.record.TfRecordWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading a journal range of a segment: frames checked before use, seal checksum folded in. */
class SegmentFrameReaderTest {

    @TempDir
    Path dir;

    private static byte[] frames(String... payloads) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TfRecordWriter w = new TfRecordWriter(out)) {
            for (String p : payloads) {
                w.write(p.getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    private static String payload(SegmentFrameReader.Frames f, int i) {
        return new String(f.bytes(), f.payloadOffset(i), f.payloadLength(i), StandardCharsets.UTF_8);
    }

    @Test
    void splitsARangeIntoItsPayloadsWithTheirOffsets() throws IOException {
        byte[] bytes = frames("one", "", "three");

        SegmentFrameReader.Frames f = SegmentFrameReader.frames("seg", bytes, 100, 100 + bytes.length);

        assertThat(f.count()).isEqualTo(3);
        assertThat(payload(f, 0)).isEqualTo("one");
        assertThat(payload(f, 1)).isEmpty();
        assertThat(payload(f, 2)).isEqualTo("three");
        assertThat(f.frameOffset(1)).isEqualTo(3 + 16);
        assertThat(f.segmentOffset(2)).isEqualTo(100 + 3 + 16 + 16);
    }

    @Test
    void damagedFramesAreRefusedNamingTheSegmentAndOffset() throws IOException {
        byte[] bytes = frames("one", "two");
        byte[] badPayload = bytes.clone();
        badPayload[3 + 16 + 12] ^= 1;
        assertThatThrownBy(() -> SegmentFrameReader.frames("seg-a", badPayload, 0, badPayload.length))
                .isInstanceOf(IOException.class).hasMessage("seg-a: payload CRC mismatch at offset 19");
        byte[] badLength = bytes.clone();
        badLength[0] ^= 1;
        assertThatThrownBy(() -> SegmentFrameReader.frames("seg-a", badLength, 50, 50 + badLength.length))
                .isInstanceOf(IOException.class).hasMessageContaining("damaged frame at offset 50");
        byte[] cut = Arrays.copyOf(bytes, bytes.length - 1);
        assertThatThrownBy(() -> SegmentFrameReader.frames("seg-a", cut, 0, cut.length))
                .isInstanceOf(IOException.class).hasMessageContaining("damaged frame at offset 19");
    }

    @Test
    void readsFromTheSegmentFileAndFoldsTheBytesIntoTheSealChecksum() throws IOException {
        byte[] first = frames("a", "bb");
        byte[] second = frames("ccc");
        byte[] all = new byte[first.length + second.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        Files.write(dir.resolve("seg"), all);
        RunIndexState.SegmentProgress seg = new RunIndexState.SegmentProgress(0, "seg");
        SegmentFrameReader reader = new SegmentFrameReader(SegmentFiles.HOT_ONLY);

        assertThat(reader.read(dir, "run/seg", seg, 0, first.length).count()).isEqualTo(2);
        SegmentFrameReader.Frames f = reader.read(dir, "run/seg", seg, first.length, all.length);
        seg.closeChannel();

        assertThat(payload(f, 0)).isEqualTo("ccc");
        CRC32C crc = new CRC32C();
        crc.update(all);
        Files.delete(dir.resolve("seg")); // the checksum must come from what was read, not from the file
        assertThat(seg.checksum.of(dir.resolve("seg"), all.length)).isEqualTo(crc.getValue());
    }

    @Test
    void aRangeBeyondTheFileIsAnError() throws IOException {
        byte[] bytes = frames("a");
        Files.write(dir.resolve("seg"), bytes);
        RunIndexState.SegmentProgress seg = new RunIndexState.SegmentProgress(0, "seg");

        assertThatThrownBy(() -> new SegmentFrameReader(SegmentFiles.HOT_ONLY).read(dir, "run/seg", seg, 0, bytes.length + 5))
                .isInstanceOf(IOException.class).hasMessageContaining("segment ends before offset");
        seg.closeChannel();
    }
}
