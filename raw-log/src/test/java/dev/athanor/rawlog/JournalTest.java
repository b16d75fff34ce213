package dev.athanor.rawlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.tfevents.record.TfRecordWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {

    @TempDir
    Path dir;

    private static final List<JournalEntry> ENTRIES = List.of(
            new JournalEntry.Header(1, 7, 3, "default", "exp", "a/b", "node-1"),
            new JournalEntry.Epoch(4),
            new JournalEntry.FileDef(0, "events.out.tfevents.1.h"),
            new JournalEntry.Resume(0, 1200),
            new JournalEntry.SegmentStart(0, "events.out.tfevents.0000000001.0000000004.n.00000000.athanor", 1000),
            new JournalEntry.Append(0, 1200, 1600, 0, 0, 400, 5),
            new JournalEntry.Seal(0, 400));

    private Path journal(byte[]... parts) throws IOException {
        Path file = dir.resolve(Journal.FILE_NAME);
        Files.deleteIfExists(file);
        Files.createFile(file);
        for (byte[] part : parts) {
            Files.write(file, part, java.nio.file.StandardOpenOption.APPEND);
        }
        return file;
    }

    @Test
    void entriesRoundTripThroughTheFramedFile() throws IOException {
        Path file = journal(Journal.frame(ENTRIES));
        Journal.Contents contents = Journal.read(file, 0, Files.size(file));
        assertThat(contents.entries()).extracting(Journal.Positioned::entry).containsExactlyElementsOf(ENTRIES);
        assertThat(contents.validEnd()).isEqualTo(Files.size(file));
        assertThat(contents.problem()).isNull();
        assertThat(Journal.readHeader(file)).isEqualTo(ENTRIES.getFirst());
    }

    @Test
    void anIncompleteLastEntryIsATornTail() throws IOException {
        byte[] good = Journal.frame(ENTRIES);
        byte[] torn = Journal.frame(List.of(new JournalEntry.Seal(1, 9)));
        Path file = journal(good, Arrays.copyOf(torn, torn.length - 3));
        Journal.Contents contents = Journal.read(file, 0, Files.size(file));
        assertThat(contents.entries()).hasSize(ENTRIES.size());
        assertThat(contents.validEnd()).isEqualTo(good.length);
        assertThat(contents.problem()).contains("incomplete journal entry at offset " + good.length);
    }

    @Test
    void aDamagedLastEntryIsATornTail() throws IOException {
        byte[] bytes = Journal.frame(ENTRIES);
        bytes[bytes.length - 6] ^= 0x40;  // inside the last entry's payload
        Path file = journal(bytes);
        long lastStart = bytes.length - Journal.frame(List.of(ENTRIES.getLast())).length;
        Journal.Contents contents = Journal.read(file, 0, bytes.length);
        assertThat(contents.entries()).hasSize(ENTRIES.size() - 1);
        assertThat(contents.validEnd()).isEqualTo(lastStart);
        assertThat(contents.problem()).contains("torn journal tail at offset " + lastStart);
    }

    @Test
    void aZeroFilledTailIsATornTail() throws IOException {
        byte[] good = Journal.frame(ENTRIES);
        Path file = journal(good, new byte[100]);
        Journal.Contents contents = Journal.read(file, 0, Files.size(file));
        assertThat(contents.entries()).hasSize(ENTRIES.size());
        assertThat(contents.validEnd()).isEqualTo(good.length);
    }

    @Test
    void damageFollowedByGoodEntriesIsCorruptionNamingFileAndOffset() throws IOException {
        byte[] first = Journal.frame(ENTRIES.subList(0, 2));
        byte[] middle = Journal.frame(List.of(ENTRIES.get(2)));
        byte[] rest = Journal.frame(ENTRIES.subList(3, 5));
        middle[middle.length - 6] ^= 0x01;
        Path file = journal(first, middle, rest);
        assertThatThrownBy(() -> Journal.read(file, 0, Files.size(file)))
                .isInstanceOfSatisfying(JournalCorruptException.class, e -> {
                    assertThat(e.file()).isEqualTo(file);
                    assertThat(e.offset()).isEqualTo(first.length);
                })
                .hasMessageContaining(file.toString())
                .hasMessageContaining("offset " + first.length)
                .hasMessageContaining("readable one follows at offset " + (first.length + middle.length));
    }

    @Test
    void damageInARangeShortOfTheFileEndIsCorruption() throws IOException {
        byte[] first = Journal.frame(ENTRIES.subList(0, 2));
        byte[] middle = Journal.frame(List.of(ENTRIES.get(2)));
        byte[] rest = Journal.frame(ENTRIES.subList(3, 5));
        middle[3] ^= 0x01;  // the length: no frame boundary can be trusted after it within the range
        Path file = journal(first, middle, rest);
        // The indexer reads only up to the durable size: bytes there were fsynced, never torn.
        long durable = first.length + middle.length;
        assertThatThrownBy(() -> Journal.read(file, 0, durable))
                .isInstanceOf(JournalCorruptException.class)
                .hasMessageContaining("offset " + first.length)
                .hasMessageContaining("before the end of the file");
    }

    @Test
    void anUndecodableEntryIsCorruptionEvenAtTheEnd() throws IOException {
        byte[] good = Journal.frame(ENTRIES);
        // Both CRCs verify, so this was written whole: a format error, not a torn write.
        Path file = journal(good, TfRecordWriter.frame(new byte[] {99, 0, 0}));
        assertThatThrownBy(() -> Journal.read(file, 0, Files.size(file)))
                .isInstanceOf(JournalCorruptException.class)
                .hasMessageContaining("offset " + good.length)
                .hasMessageContaining("unknown journal entry type 99");
    }

    @Test
    void aWindowEndingInsideAnEntryStopsBeforeIt() throws IOException {
        byte[] bytes = Journal.frame(ENTRIES);
        Path file = journal(bytes);
        long secondEnd = Journal.frame(ENTRIES.subList(0, 2)).length;
        Journal.Contents window = Journal.read(file, 0, secondEnd + 5);
        assertThat(window.entries()).hasSize(2);
        assertThat(window.validEnd()).isEqualTo(secondEnd);
        // The next window continues where the last whole entry ended.
        Journal.Contents next = Journal.read(file, window.validEnd(), bytes.length);
        assertThat(next.entries()).extracting(Journal.Positioned::entry).containsExactlyElementsOf(ENTRIES.subList(2, ENTRIES.size()));
        assertThat(next.entries().getLast().end()).isEqualTo(bytes.length);
    }

    @Test
    void aJournalWithoutHeaderHasNone() throws IOException {
        Path file = journal(Journal.frame(ENTRIES.subList(1, 3)));
        assertThat(Journal.readHeader(file)).isNull();
    }
}
