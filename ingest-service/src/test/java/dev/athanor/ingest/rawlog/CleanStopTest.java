package dev.athanor.ingest.rawlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.athanor.ingest.config.HotRootConfig;
import dev.athanor.ingest.config.IngestConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop that sealed and committed every run leaves a record, so the next start opens no journal;
 * a start removes the record, so a crash afterwards is never taken for a clean stop.
 */
class CleanStopTest {

    private static final RunIdentity RUN = new RunIdentity(5, 2, "default", "exp", "r");

    @TempDir
    Path hot;

    private IngestConfig config() {
        return HotRootConfig.of(hot, "n1");
    }

    @Test
    void onlyAStopThatLeftNothingPendingIsRecordedAsClean() throws Exception {
        RawLog first = new RawLog(config(), HotDeletedSegments.NONE);
        assertThat(first.startedClean()).isFalse();
        RunLog log = first.open(RUN);
        AppendResult written = log.append("f", 0, List.of(ByteString.copyFromUtf8("one record")));
        first.commitSoon(log);
        long end = written.durable().get(10, TimeUnit.SECONDS);
        // Not stopped yet (as if it crashed now): no record.
        first.recordCleanStop();
        assertThat(hot.resolve(RawLog.CLEAN_STOP)).doesNotExist();
        first.onShutdown(null);
        first.recordCleanStop();
        assertThat(hot.resolve(RawLog.CLEAN_STOP)).exists();

        RawLog second = new RawLog(config(), HotDeletedSegments.NONE);
        assertThat(second.startedClean()).isTrue();
        assertThat(hot.resolve(RawLog.CLEAN_STOP)).as("taken at start").doesNotExist();
        // The run opens on its next batch, where the last stop left it (sealed: a new segment follows).
        RunLog again = second.open(RUN);
        assertThat(again.committedOffsets()).containsEntry("f", end);
        again.append("f", end, List.of(ByteString.copyFromUtf8("two"))).durable();
        second.commitSoon(again);
        assertThat(again.segments()).hasSize(2);
        // This one "crashes": it never stops, so the next start is not clean.
        RawLog third = new RawLog(config(), HotDeletedSegments.NONE);
        assertThat(third.startedClean()).isFalse();
        third.onShutdown(null);
        second.onShutdown(null);
        assertThat(Files.list(hot).map(p -> p.getFileName().toString()).toList()).doesNotContain(RawLog.CLEAN_STOP);
    }
}
