package dev.athanor.ingest.rawlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.athanor.ingest.catalog.InvalidInputException;
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
        RunLog log = RunLog.open(hot, RUN, "n1", CLOCK, 1 << 20, Duration.ofHours(1));
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

        RunLog reopened = RunLog.open(hot, RUN, "n1", CLOCK, 1 << 20, Duration.ofHours(1));
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
        RunLog log = RunLog.open(hot, RUN, "n1", CLOCK, 2_000, Duration.ofHours(1));
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
        RunLog log = RunLog.open(hot, RUN, "n1", CLOCK, 1 << 20, Duration.ofHours(1));
        log.close();
        RunIdentity other = new RunIdentity(8, 3, "default", "exp", "a/b");
        Assertions.assertThatThrownBy(() -> RunLog.open(hot, other, "n1", CLOCK, 1 << 20, Duration.ofHours(1)))
                .isInstanceOf(IOException.class).hasMessageContaining("belongs to run 7");
    }

    @Test
    void aBatchThatStraddlesStoredBytesIsRefused() throws IOException {
        RunLog log = RunLog.open(hot, RUN, "n1", CLOCK, 1 << 20, Duration.ofHours(1));
        log.append("f", 0, records(2, 100));
        Assertions.assertThatThrownBy(() -> log.append("f", 10, records(2, 100)))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("batch.records[1]");
        log.close();
    }
}
