package dev.athanor.ingest.rawlog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalEntryTest {

    @TempDir
    Path dir;

    private static final List<JournalEntry> ENTRIES = List.of(
            new JournalEntry.Header(1, 7, 3, "default", "exp", "a/b", "node-1"),
            new JournalEntry.FileDef(0, "events.out.tfevents.1.h"),
            new JournalEntry.SegmentStart(0, "events.out.tfevents.0000000001.n.00000000.athanor", 1000),
            new JournalEntry.Append(0, 0, 400, 0, 0, 400, 5),
            new JournalEntry.Seal(0, 400));

    @Test
    void entriesRoundTripThroughTheFramedFile() throws IOException {
        Path file = dir.resolve(Journal.FILE_NAME);
        Files.write(file, Journal.frame(ENTRIES));
        Journal.Contents contents = Journal.read(file, 0, Files.size(file));
        assertThat(contents.entries()).extracting(Journal.Positioned::entry).containsExactlyElementsOf(ENTRIES);
        assertThat(contents.validEnd()).isEqualTo(Files.size(file));
        assertThat(contents.problem()).isNull();
    }

    @Test
    void aTornOrDamagedTailEndsTheValidEntries() throws IOException {
        Path file = dir.resolve(Journal.FILE_NAME);
        byte[] good = Journal.frame(ENTRIES);
        Files.write(file, good);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.APPEND)) {
            byte[] torn = Journal.frame(List.of(new JournalEntry.Seal(1, 9)));
            ch.write(ByteBuffer.wrap(torn, 0, torn.length - 3));
        }
        Journal.Contents contents = Journal.read(file, 0, Files.size(file));
        assertThat(contents.entries()).hasSize(ENTRIES.size());
        assertThat(contents.validEnd()).isEqualTo(good.length);
        assertThat(contents.problem()).contains("incomplete journal entry at offset " + good.length);

        byte[] flipped = good.clone();
        flipped[good.length - 6] ^= 0x40;  // inside the last entry's payload
        Files.write(file, flipped);
        Journal.Contents damaged = Journal.read(file, 0, flipped.length);
        assertThat(damaged.entries()).hasSize(ENTRIES.size() - 1);
        assertThat(damaged.problem()).contains("corrupt record");
    }

    @Test
    void segmentNamesSortInWriteOrderAndAreEventFiles() {
        String a = SegmentNames.name(1_795_729_064L, "node-1", 9);
        String b = SegmentNames.name(1_795_729_064L, "node-1", 10);
        String c = SegmentNames.name(1_795_729_065L, "node-1", 11);
        assertThat(List.of(a, b, c)).isSorted();
        assertThat(a).contains("tfevents");
        assertThat(SegmentNames.isSegment(a)).isTrue();
        assertThat(SegmentNames.isSegment("events.out.tfevents.1585383831.host.66143.345.v2")).isFalse();
        assertThat(SegmentNames.sanitizeNode("pod_1.ns.svc")).isEqualTo("pod-1-ns-svc");
    }
}
