package dev.athanor.ingest.rawlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.athanor.ingest.config.HotRootConfig;
import dev.athanor.ingest.config.IngestConfig;
import dev.athanor.rawlog.Journal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a crash, start-up recovers only the runs that were unfinished or not indexed to the end;
 * finished, fully indexed runs are not in the list and their journals are not opened.
 */
class RecoveryListTest {

    @TempDir
    Path hot;

    private IngestConfig config() {
        return HotRootConfig.of(hot, "n1");
    }

    private static RunIdentity run(int i) {
        return new RunIdentity(100 + i, 2, "default", "sweep", "r" + i);
    }

    private static long write(RawLog raw, RunLog log, String text) throws Exception {
        AppendResult written = log.append("f", log.committedOffsets().getOrDefault("f", 0L),
                List.of(ByteString.copyFromUtf8(text)));
        raw.commitSoon(log);
        return written.durable().get(10, TimeUnit.SECONDS);
    }

    /** Seals the run and waits until the seal is durable. */
    private static void finish(RawLog raw, RunLog log) throws Exception {
        long before = log.durableJournalSize();
        log.seal();
        raw.commitSoon(log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (log.durableJournalSize() == before || log.hasPending()) {
            assertThat(System.nanoTime()).as("seal of run %d made durable", log.identity().runId()).isLessThan(deadline);
            Thread.sleep(5);
        }
    }

    @Test
    void aCrashRecoversExactlyTheRunsLeftUnfinishedOrUnindexed() throws Exception {
        RawLog first = new RawLog(config(), HotDeletedSegments.NONE);
        List<RunLog> logs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            RunLog log = first.open(run(i));
            write(first, log, "record of run " + i);
            logs.add(log);
        }
        // 0..35 finished and indexed to the end (what the indexer reports), 36 finished but its
        // index lags, 37 indexed but still live (open segment), 38..39 live and never indexed.
        for (int i = 0; i <= 36; i++) {
            finish(first, logs.get(i));
        }
        for (int i = 0; i <= 35; i++) {
            logs.get(i).indexedTo(logs.get(i).durableJournalSize());
        }
        logs.get(36).indexedTo(logs.get(36).durableJournalSize() - 1);
        logs.get(37).indexedTo(logs.get(37).durableJournalSize());
        // Run 0 gets a batch after it was finished (resumed training): marked again before the write.
        long resumed = write(first, logs.getFirst(), "after the finish");

        // Crash: no shutdown. The next start recovers only the marked runs.
        RawLog second = new RawLog(config(), HotDeletedSegments.NONE);
        assertThat(second.startedClean()).isFalse();
        List<RunIdentity> toRecover = second.toRecover();
        assertThat(toRecover).containsExactlyInAnyOrder(run(0), run(36), run(37), run(38), run(39));
        for (RunIdentity identity : toRecover) {
            RunLog recovered = second.open(identity);
            assertThat(recovered.committedOffsets().get("f")).as("run %d keeps its data", identity.runId())
                    .isPositive();
        }
        assertThat(second.opened(run(0).runId()).orElseThrow().committedOffsets()).containsEntry("f", resumed);
        assertThat(second.opened(run(5).runId())).as("a finished, indexed run is not opened").isEmpty();
        // A run not recovered still opens where it was left on its next batch.
        assertThat(second.open(run(5)).committedOffsets().get("f")).isPositive();
        second.onShutdown(null);
        first.onShutdown(null);
    }

    @Test
    void aMarkOfARunWhoseHeaderWasNeverWrittenIsDropped() throws Exception {
        RawLog first = new RawLog(config(), HotDeletedSegments.NONE);
        Path dir = hot.resolve(DirtyRuns.DIRECTORY);
        // A crash after the mark and before the journal's header: nothing of the run was written.
        Files.writeString(dir.resolve("77"), "default/sweep/never\n");
        Files.writeString(dir.resolve("78.tmp"), "not a mark");
        RunLog live = first.open(run(1));
        write(first, live, "kept");

        RawLog second = new RawLog(config(), HotDeletedSegments.NONE);
        assertThat(second.toRecover()).containsExactly(run(1));
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString()).collect(Collectors.toSet()))
                    .isEqualTo(Set.of(Long.toString(run(1).runId())));
        }
        second.onShutdown(null);
        first.onShutdown(null);
    }

    @Test
    void aMarkWhoseContentWasLostMakesStartUpScanEveryJournal() throws Exception {
        RawLog first = new RawLog(config(), HotDeletedSegments.NONE);
        for (int i = 0; i < 3; i++) {
            RunLog log = first.open(run(i));
            write(first, log, "r" + i);
            if (i < 2) {
                finish(first, log);
                log.indexedTo(log.durableJournalSize());
            }
        }
        Path mark = hot.resolve(DirtyRuns.DIRECTORY).resolve(Long.toString(run(2).runId()));
        assertThat(mark).hasContent(run(2).relativeDir());
        // The directory entry was made durable by the commit, the file's bytes were not.
        Files.writeString(mark, "");

        RawLog second = new RawLog(config(), HotDeletedSegments.NONE);
        assertThat(second.toRecover()).containsExactlyInAnyOrder(run(0), run(1), run(2));
        second.onShutdown(null);
        first.onShutdown(null);
    }

    @Test
    void aHotRootWrittenBeforeTheListWasKeptIsScannedWholeOnce() throws Exception {
        RawLog first = new RawLog(config(), HotDeletedSegments.NONE);
        for (int i = 0; i < 3; i++) {
            RunLog log = first.open(run(i));
            write(first, log, "r" + i);
            finish(first, log);
            log.indexedTo(log.durableJournalSize());
        }
        first.onShutdown(null);
        // As an older version left it: journals, no list, and no clean-stop record.
        try (var listing = Files.list(hot.resolve(DirtyRuns.DIRECTORY))) {
            assertThat(listing.count()).isZero();
        }
        Files.delete(hot.resolve(DirtyRuns.DIRECTORY));
        assertThat(hot.resolve(run(2).relativeDir()).resolve(Journal.FILE_NAME)).exists();

        RawLog upgraded = new RawLog(config(), HotDeletedSegments.NONE);
        assertThat(upgraded.toRecover()).containsExactlyInAnyOrder(run(0), run(1), run(2));
        upgraded.onShutdown(null);
        // From then on the list is kept: the next crash recovers nothing that was not opened.
        RawLog next = new RawLog(config(), HotDeletedSegments.NONE);
        assertThat(next.toRecover()).isEmpty();
        next.onShutdown(null);
    }
}
