package dev.athanor.ingest.rawlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.athanor.rawlog.HotRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Run logs hold a bounded number of files: idle runs close their journal and segment (least
 * recently used first, or after the idle time) and reopen them on their next batch, without
 * losing or reordering a byte. Real files and the real group committer.
 */
class RunLogOpenFilesTest {

    @TempDir
    Path hot;

    private GroupCommitter committer;
    private final List<RunLog> logs = new ArrayList<>();

    @AfterEach
    void close() throws IOException {
        if (committer != null) {
            committer.close();
        }
        for (RunLog log : logs) {
            log.close();
        }
    }

    private static RunIdentity run(int i) {
        return new RunIdentity(1000 + i, 3, "default", "exp", "run-" + i);
    }

    private static List<ByteString> records(int run, int batch) {
        return IntStream.range(0, 3).mapToObj(i -> ByteString.copyFromUtf8("run " + run + " batch " + batch + " #" + i))
                .toList();
    }

    private static long framed(List<ByteString> records) {
        return records.stream().mapToLong(r -> 16 + r.size()).sum();
    }

    private RunLog open(int i, OpenRunFiles budget) throws IOException {
        return RunLog.open(new HotRoot(hot), run(i), "n1", Clock.systemUTC(), 1 << 20, Duration.ofHours(1),
                HotDeletedSegments.NONE, CommitLedger.LOCAL, budget);
    }

    /** Appends as BatchWriter does through RawLog: the log is marked used first, then written and committed. */
    private long write(RunLog log, OpenRunFiles budget, long offset, List<ByteString> records) throws Exception {
        budget.used(log);
        AppendResult result = log.append("events.out.tfevents.1", offset, records);
        committer.schedule(log);
        return result.durable().get(10, TimeUnit.SECONDS);
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }

    @Test
    void manyRunsStayUnderTheBoundAndReopenWithNothingLost() throws Exception {
        int runs = 300;
        int bound = 20;
        OpenRunFiles budget = new OpenRunFiles(bound, Duration.ofHours(1));
        committer = new GroupCommitter((l, b) -> { }, l -> { }, CommitLedger.LOCAL, budget);
        long before = openDescriptors();
        long maxDescriptors = before;
        long[] sent = new long[runs];
        for (int batch = 0; batch < 3; batch++) {
            for (int i = 0; i < runs; i++) {
                if (batch == 0) {
                    logs.add(open(i, budget));
                }
                List<ByteString> records = records(i, batch);
                assertThat(write(logs.get(i), budget, sent[i], records)).isEqualTo(sent[i] + framed(records));
                sent[i] += framed(records);
                maxDescriptors = Math.max(maxDescriptors, openDescriptors());
            }
        }
        // One run is written at a time here: the bound is exceeded by at most its two files.
        assertThat(budget.peak()).isLessThanOrEqualTo(bound + 2);
        assertThat(maxDescriptors - before).isLessThanOrEqualTo(bound + 2);
        assertThat(logs.stream().mapToInt(RunLog::openFiles).sum()).isEqualTo(budget.open());

        committer.close();
        committer = null;
        for (RunLog log : logs) {
            log.close();
        }
        assertThat(budget.open()).isZero();
        logs.clear();
        // Recovered from disk: every run has each batch once, in order, in one segment.
        for (int i = 0; i < runs; i++) {
            RunLog reopened = open(i, OpenRunFiles.UNBOUNDED);
            logs.add(reopened);
            assertThat(reopened.committedOffsets()).containsEntry("events.out.tfevents.1", sent[i]);
            assertThat(reopened.segments()).hasSize(1);
            byte[] segment = Files.readAllBytes(reopened.directory().resolve(reopened.segments().getFirst().name()));
            assertThat(segment).hasSize((int) sent[i]);
            String text = new String(segment, java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(text.indexOf("run " + i + " batch 0 #0")).isLessThan(text.indexOf("run " + i + " batch 2 #2"));
        }
    }

    @Test
    void idleAndFinishedRunsHoldNothingOpen() throws Exception {
        OpenRunFiles budget = new OpenRunFiles(1000, Duration.ofMillis(300));
        committer = new GroupCommitter((l, b) -> { }, l -> { }, CommitLedger.LOCAL, budget);
        RunLog finished = open(1, budget);
        RunLog idle = open(2, budget);
        logs.add(finished);
        logs.add(idle);
        long end = write(finished, budget, 0, records(1, 0));
        write(idle, budget, 0, records(2, 0));
        assertThat(idle.openFiles()).isEqualTo(2);

        // FinishRun: the seal's commit closes the segment, and the journal goes with it.
        finished.seal();
        committer.schedule(finished);
        awaitNoFiles(finished);
        // No batch for the idle time: the committer closes the run's files while it has nothing to do.
        awaitNoFiles(idle);
        assertThat(budget.open()).isZero();

        // The next batch reopens them; the idle run continues in its open segment, the finished one in a new one.
        List<ByteString> more = records(2, 1);
        long idleEnd = framed(records(2, 0));
        assertThat(write(idle, budget, idleEnd, more)).isEqualTo(idleEnd + framed(more));
        assertThat(idle.segments()).hasSize(1);
        assertThat(write(finished, budget, end, records(1, 1))).isEqualTo(end + framed(records(1, 1)));
        assertThat(finished.segments()).hasSize(2);
    }

    private static void awaitNoFiles(RunLog log) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (log.openFiles() > 0) {
            assertThat(System.nanoTime()).as("%s still holds %d files", log.directory(), log.openFiles())
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
