package dev.athanor.ingest.rawlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.athanor.ingest.catalog.InvalidInputException;
import dev.athanor.rawlog.HotRoot;
import dev.athanor.rawlog.JournalCorruptException;
import dev.athanor.rawlog.SegmentNames;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The raw log of a run after a crash: only what was acknowledged (journaled) survives, byte for byte. */
class RunLogRecoveryTest {

    private static final RunIdentity RUN = new RunIdentity(7, 3, "default", "exp", "a/b");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    @TempDir
    Path hot;

    private static List<ByteString> records(int n, int size) {
        return java.util.stream.IntStream.range(0, n)
                .mapToObj(i -> ByteString.copyFrom(new byte[size]).concat(ByteString.copyFromUtf8("#" + i))).toList();
    }

    private static long framed(List<ByteString> records) {
        return records.stream().mapToLong(r -> 16 + r.size()).sum();
    }

    @Test
    void unacknowledgedBytesAreCutAndCommittedOffsetsSurviveARestart() throws Exception {
        GroupCommitter committer = new GroupCommitter((log, bytes) -> { }, log -> { });
        RunLog log = RunLog.open(new HotRoot(hot), RUN, "n1", CLOCK, 1 << 20, Duration.ofHours(1));
        List<ByteString> first = records(10, 100);
        AppendResult a = log.append("f1", 0, first);
        committer.schedule(log);
        assertThat(a.durable().get(10, TimeUnit.SECONDS)).isEqualTo(framed(first));

        // Written but never committed (the process dies before the group commit).
        log.append("f1", framed(first), records(5, 100));
        log.append("f2", 0, records(3, 50));
        Path segment = log.directory().resolve(log.segments().getFirst().name());
        long sizeWithUncommitted = Files.size(segment);
        committer.close();
        log.close();
        // A torn journal write at the crash.
        try (FileChannel ch = FileChannel.open(log.journalPath(), StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3, 4, 5, 6, 7}));
        }

        RunLog reopened = RunLog.open(new HotRoot(hot), RUN, "n1", CLOCK, 1 << 20, Duration.ofHours(1));
        assertThat(reopened.committedOffsets()).containsExactly(java.util.Map.entry("f1", framed(first)));
        assertThat(Files.size(segment)).isEqualTo(framed(first)).isLessThan(sizeWithUncommitted);
        // The upload resumes: the records already stored are duplicates, the rest is new.
        AppendResult again = reopened.append("f1", 0, first);
        assertThat(again.accepted()).isZero();
        assertThat(again.duplicates()).isEqualTo(10);
        AppendResult more = reopened.append("f1", framed(first), records(2, 10));
        assertThat(more.accepted()).isEqualTo(2);
        // The recovered run starts a new segment that sorts after the first.
        assertThat(reopened.segments()).hasSize(2);
        assertThat(reopened.segments().get(1).name()).isGreaterThan(reopened.segments().get(0).name());
        reopened.close();
    }

    @Test
    void segmentsRotateBySizeAndNamesSortInWriteOrder() throws Exception {
        GroupCommitter committer = new GroupCommitter((log, bytes) -> { }, log -> { });
        RunLog log = RunLog.open(new HotRoot(hot), RUN, "n1", CLOCK, 2_000, Duration.ofHours(1));
        long offset = 0;
        for (int i = 0; i < 10; i++) {
            List<ByteString> batch = records(5, 100);
            log.append("f", offset, batch);
            offset += framed(batch);
        }
        committer.schedule(log);
        AppendResult last = log.append("f", offset, records(1, 1));
        committer.schedule(log);
        last.durable().get(10, TimeUnit.SECONDS);
        committer.close();
        List<String> names = log.segments().stream().map(RunLog.SegmentInfo::name).toList();
        assertThat(names).hasSizeGreaterThan(3).isSorted();
        try (Stream<Path> files = Files.list(log.directory())) {
            assertThat(files.filter(p -> SegmentNames.isSegment(p.getFileName().toString())).count())
                    .isEqualTo(names.size());
        }
        for (String name : names) {
            assertThat(Files.size(log.directory().resolve(name))).isLessThanOrEqualTo(2_000);
        }
        log.close();
    }

    @Test
    void aJournalOfAnotherRunIsNotTouched() throws IOException {
        RunLog log = RunLog.open(new HotRoot(hot), RUN, "n1", CLOCK, 1 << 20, Duration.ofHours(1));
        log.close();
        RunIdentity other = new RunIdentity(8, 3, "default", "exp", "a/b");
        Assertions.assertThatThrownBy(() -> RunLog.open(new HotRoot(hot), other, "n1", CLOCK, 1 << 20, Duration.ofHours(1)))
                .isInstanceOf(IOException.class).hasMessageContaining("belongs to run 7");
    }

    @Test
    void aHeaderTornBeforeTheFirstCommitStartsTheRunAfreshButNotBesideASegment() throws Exception {
        // A new run's header is fsynced by its first commit, not at open: a crash before that may tear it.
        RunLog log = RunLog.open(new HotRoot(hot), RUN, "n1", CLOCK, 1 << 20, Duration.ofHours(1));
        log.close();
        Path journal = log.journalPath();
        try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.WRITE)) {
            ch.truncate(Files.size(journal) / 2);
        }

        GroupCommitter committer = new GroupCommitter((l, bytes) -> { }, l -> { });
        RunLog fresh = RunLog.open(new HotRoot(hot), RUN, "n1", CLOCK, 1 << 20, Duration.ofHours(1));
        List<ByteString> first = records(2, 10);
        AppendResult appended = fresh.append("f1", 0, first);
        committer.schedule(fresh);
        assertThat(appended.durable().get(10, TimeUnit.SECONDS)).isEqualTo(framed(first));
        committer.close();
        fresh.close();
        assertThat(RunLog.open(new HotRoot(hot), RUN, "n1", CLOCK, 1 << 20, Duration.ofHours(1)).committedOffsets())
                .as("reopened after its first commit").containsExactly(java.util.Map.entry("f1", framed(first)));

        // A torn header beside a segment is not a run that never committed: refused, nothing removed.
        try (FileChannel ch = FileChannel.open(journal, StandardOpenOption.WRITE)) {
            ch.truncate(7);
        }
        long segments;
        try (Stream<Path> files = Files.list(journal.getParent())) {
            segments = files.filter(p -> SegmentNames.isSegment(p.getFileName().toString())).count();
        }
        assertThat(segments).isEqualTo(1);
        Assertions.assertThatThrownBy(() -> RunLog.open(new HotRoot(hot), RUN, "n1", CLOCK, 1 << 20, Duration.ofHours(1)))
                .isInstanceOf(IOException.class).hasMessageContaining("no header");
        try (Stream<Path> files = Files.list(journal.getParent())) {
            assertThat(files.filter(p -> SegmentNames.isSegment(p.getFileName().toString())).count()).isEqualTo(1);
        }
    }

    @Test
    void aJournalDamagedBeforeGoodEntriesIsRefusedNotCut() throws Exception {
        GroupCommitter committer = new GroupCommitter((log, bytes) -> { }, log -> { });
        RunLog log = RunLog.open(new HotRoot(hot), RUN, "n1", CLOCK, 1 << 20, Duration.ofHours(1));
        long headerEnd = Files.size(log.journalPath());
        AppendResult appended = log.append("f1", 0, records(3, 100));
        committer.schedule(log);
        appended.durable().get(10, TimeUnit.SECONDS);
        committer.close();
        log.close();
        long journalSize = Files.size(log.journalPath());
        // One bit of the first entry after the header flips: the acknowledged entries after it must not be cut.
        byte[] bytes = Files.readAllBytes(log.journalPath());
        bytes[(int) headerEnd + 14] ^= 0x01;
        Files.write(log.journalPath(), bytes);

        Assertions.assertThatThrownBy(() -> RunLog.open(new HotRoot(hot), RUN, "n1", CLOCK, 1 << 20, Duration.ofHours(1)))
                .isInstanceOf(JournalCorruptException.class)
                .hasMessageContaining(log.journalPath().toString())
                .hasMessageContaining("offset " + headerEnd);
        assertThat(Files.size(log.journalPath())).isEqualTo(journalSize);
    }

    @Test
    void aRunDirectoryOutsideTheHotRootIsRefused() {
        RunIdentity escaping = new RunIdentity(9, 3, "default", "..", "x");
        Assertions.assertThatThrownBy(() -> RunLog.open(new HotRoot(hot), escaping, "n1", CLOCK, 1 << 20,
                Duration.ofHours(1))).hasMessageContaining("leaves the hot root");
    }

    @Test
    void aBatchThatStraddlesStoredBytesIsRefused() throws IOException {
        RunLog log = RunLog.open(new HotRoot(hot), RUN, "n1", CLOCK, 1 << 20, Duration.ofHours(1));
        log.append("f", 0, records(2, 100));
        Assertions.assertThatThrownBy(() -> log.append("f", 10, records(2, 100)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("batch.records[1]");
        log.close();
    }

    /** Writes two sealed segments and an open third one; returns the log (closed) and the offsets. */
    private List<String> threeSegments() throws Exception {
        GroupCommitter committer = new GroupCommitter((l, bytes) -> { }, l -> { });
        RunLog log = RunLog.open(new HotRoot(hot), RUN, "n1", CLOCK, 1_000, Duration.ofHours(1));
        long offset = 0;
        AppendResult last = null;
        for (int i = 0; i < 3; i++) {
            List<ByteString> batch = records(8, 100);
            last = log.append("f", offset, batch);
            offset += framed(batch);
        }
        committer.schedule(log);
        last.durable().get(10, TimeUnit.SECONDS);
        committer.close();
        log.close();
        List<String> names = log.segments().stream().map(RunLog.SegmentInfo::name).toList();
        assertThat(names).hasSize(3);
        return names;
    }

    @Test
    void archivedSegmentsMayBeGoneAndTheRunKeepsAcceptingUploadsAcrossRestarts() throws Exception {
        List<String> names = threeSegments();
        long stored = 3 * framed(records(8, 100));
        // The archive verified copies of the two sealed segments and removed their hot files.
        Files.delete(hot.resolve(RUN.relativeDir()).resolve(names.get(0)));
        Files.delete(hot.resolve(RUN.relativeDir()).resolve(names.get(1)));
        HotDeletedSegments catalog = run -> java.util.Set.of(names.get(0), names.get(1));

        GroupCommitter committer = new GroupCommitter((l, bytes) -> { }, l -> { });
        RunLog reopened = RunLog.open(new HotRoot(hot), RUN, "n1", CLOCK, 1_000, Duration.ofHours(1), catalog);
        assertThat(reopened.hotDeletedSegments()).containsExactlyInAnyOrder(names.get(0), names.get(1));
        assertThat(reopened.committedOffsets()).containsExactly(java.util.Map.entry("f", stored));
        // A client that resends from the start gets duplicates; new records land in a new segment.
        assertThat(reopened.append("f", 0, records(8, 100)).duplicates()).isEqualTo(8);
        AppendResult more = reopened.append("f", stored, records(2, 10));
        committer.schedule(reopened);
        assertThat(more.durable().get(10, TimeUnit.SECONDS)).isEqualTo(stored + framed(records(2, 10)));
        assertThat(reopened.segments()).hasSize(4);
        committer.close();
        reopened.close();

        // A second restart: still fine, and the offsets include the new records.
        RunLog again = RunLog.open(new HotRoot(hot), RUN, "n1", CLOCK, 1_000, Duration.ofHours(1), catalog);
        assertThat(again.committedOffsets()).containsExactly(java.util.Map.entry("f", stored + framed(records(2, 10))));
        assertThat(again.segments()).hasSize(4);
        again.close();
    }

    @Test
    void aMissingSegmentTheCatalogDoesNotCallArchivedStillStopsRecovery() throws Exception {
        List<String> names = threeSegments();
        Files.delete(hot.resolve(RUN.relativeDir()).resolve(names.get(0)));
        Assertions.assertThatThrownBy(() -> RunLog.open(new HotRoot(hot), RUN, "n1", CLOCK, 1_000, Duration.ofHours(1),
                        run -> java.util.Set.of()))
                .isInstanceOf(IOException.class).hasMessageContaining(names.get(0))
                .hasMessageContaining("does not record it as archived");
    }

    @Test
    void theOpenSegmentCannotHaveBeenArchived() throws Exception {
        List<String> names = threeSegments();
        // The last segment was never sealed: losing it is damage, whatever the catalog says.
        Files.delete(hot.resolve(RUN.relativeDir()).resolve(names.get(2)));
        Assertions.assertThatThrownBy(() -> RunLog.open(new HotRoot(hot), RUN, "n1", CLOCK, 1_000, Duration.ofHours(1),
                        run -> java.util.Set.copyOf(names)))
                .isInstanceOf(IOException.class).hasMessageContaining("never sealed");
    }

    @Test
    void whenTheCatalogCannotBeAskedASealedMissingSegmentIsTrustedToTheArchive() throws Exception {
        List<String> names = threeSegments();
        Files.delete(hot.resolve(RUN.relativeDir()).resolve(names.get(0)));
        RunLog reopened = RunLog.open(new HotRoot(hot), RUN, "n1", CLOCK, 1_000, Duration.ofHours(1), run -> null);
        assertThat(reopened.hotDeletedSegments()).containsExactly(names.get(0));
        reopened.close();
    }
}
