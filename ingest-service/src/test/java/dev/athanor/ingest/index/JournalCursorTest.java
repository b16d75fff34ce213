package dev.athanor.ingest.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.rawlog.Journal;
import dev.athanor.rawlog.JournalEntry;
import dev.athanor.ingest.rawlog.RunIdentity;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cursor hands out appends and applies file names, segment starts and seals to the run's state. */
class JournalCursorTest {

    @TempDir
    Path dir;

    private final RunIndexState state = new RunIndexState(new RunIdentity(1, 2, "p", "e", "run"), Path.of("run"));

    private Path journal(byte[] bytes) throws Exception {
        return Files.write(dir.resolve(Journal.FILE_NAME), bytes);
    }

    @Test
    void appendsComeOutInOrderWithTheirFileNamesAndSegmentsAreSealed() throws Exception {
        byte[] head = Journal.frame(List.of(new JournalEntry.FileDef(3, "events.a"),
                new JournalEntry.SegmentStart(0, "seg0", 1L),
                new JournalEntry.Append(3, 0, 100, 0, 0, 100, 4)));
        byte[] tail = Journal.frame(List.of(new JournalEntry.SegmentStart(1, "seg1", 2L),
                new JournalEntry.Append(3, 100, 150, 1, 0, 50, 2),
                new JournalEntry.Seal(1, 50)));
        byte[] all = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        Path file = journal(all);
        JournalCursor cursor = new JournalCursor(file, 0, all.length, state);

        JournalCursor.Appended first = cursor.next();
        assertThat(first).isEqualTo(new JournalCursor.Appended("events.a", 0, 0, 100, 0, 100, 4));
        assertThat(cursor.position()).isEqualTo(head.length);
        assertThat(state.segments.get(0).sealed).isFalse();

        JournalCursor.Appended second = cursor.next();
        assertThat(second.segmentSeq()).isEqualTo(1);
        assertThat(second.bytes()).isEqualTo(50);
        assertThat(state.segments.get(0).sealed).as("a new segment seals the one before").isTrue();
        assertThat(cursor.startOfLast()).as("where the second append begins").isGreaterThan(head.length);

        assertThat(cursor.next()).isNull();
        assertThat(state.segments.get(1).sealed).isTrue();
        assertThat(cursor.atDurableEnd()).isTrue();
        assertThat(cursor.problem()).isNull();
    }

    @Test
    void aHandoverWaitsUntilTheEarlierOwnersBytesAreIndexedThenPassesOn() throws Exception {
        // This replica took the run over at offset 500 of file f: bytes below lie in another
        // replica's raw log, indexed by its indexer; this replica's records come after them.
        byte[] before = Journal.frame(List.of(new JournalEntry.Epoch(2), new JournalEntry.FileDef(0, "f")));
        byte[] rest = Journal.frame(List.of(new JournalEntry.Resume(0, 500), new JournalEntry.SegmentStart(0, "s", 1L),
                new JournalEntry.Append(0, 500, 600, 0, 0, 100, 3)));
        byte[] all = Arrays.copyOf(before, before.length + rest.length);
        System.arraycopy(rest, 0, all, before.length, rest.length);
        Path file = journal(all);

        state.file("f").indexedOffset = 320;
        JournalCursor early = new JournalCursor(file, 0, all.length, state);
        assertThat(early.next()).as("the earlier owner indexed only up to 320").isNull();
        assertThat(early.waitingAt()).isEqualTo(new JournalEntry.Resume(0, 500));
        assertThat(early.position()).as("stopped before the handover entry").isEqualTo(before.length);
        assertThat(early.atDurableEnd()).isFalse();

        state.file("f").indexedOffset = 500;
        JournalCursor later = new JournalCursor(file, early.position(), all.length, state);
        assertThat(later.next()).isEqualTo(new JournalCursor.Appended("f", 0, 500, 600, 0, 100, 3));
        assertThat(later.waitingAt()).isNull();
    }

    @Test
    void readingStopsAtTheDurableEndAndResumesFromAnOffset() throws Exception {
        byte[] one = Journal.frame(List.of(new JournalEntry.FileDef(1, "f"), new JournalEntry.SegmentStart(0, "s", 1L)));
        byte[] two = Journal.frame(List.of(new JournalEntry.Append(1, 0, 10, 0, 0, 10, 1)));
        byte[] all = Arrays.copyOf(one, one.length + two.length);
        System.arraycopy(two, 0, all, one.length, two.length);
        Path file = journal(all);

        JournalCursor upToDurable = new JournalCursor(file, 0, one.length, state);
        assertThat(upToDurable.next()).as("the append is not durable yet").isNull();
        assertThat(upToDurable.atDurableEnd()).isTrue();

        JournalCursor resumed = new JournalCursor(file, one.length, all.length, state);
        assertThat(resumed.next().fileName()).isEqualTo("f");
        assertThat(resumed.startOfLast()).isEqualTo(one.length);
    }

    @Test
    void bytesThatAreNotAnEntryStopTheCursorShortOfTheDurableEndWithTheReason() throws Exception {
        byte[] good = Journal.frame(List.of(new JournalEntry.FileDef(1, "f")));
        byte[] all = Arrays.copyOf(good, good.length + 20);
        Arrays.fill(all, good.length, all.length, (byte) 7);
        Path file = journal(all);

        JournalCursor cursor = new JournalCursor(file, 0, all.length, state);

        assertThat(cursor.next()).isNull();
        assertThat(cursor.atDurableEnd()).isFalse();
        assertThat(cursor.position()).isEqualTo(good.length);
        assertThat(cursor.problem()).isNotBlank();
        assertThat(state.fileNames).containsEntry(1, "f");
    }
}
