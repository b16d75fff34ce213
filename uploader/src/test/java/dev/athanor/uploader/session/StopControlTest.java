package dev.athanor.uploader.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.proto.ingest.v1.RunStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StopControlTest {

    @TempDir
    Path dir;

    @Test
    void theMarkersContentSaysHowTrainingEnded() throws IOException {
        Path marker = dir.resolve("stop");
        for (String ok : new String[] {"", "0\n", "OK", "finished", " success "}) {
            Files.writeString(marker, ok);
            assertThat(StopControl.statusFrom(marker)).as("'%s'", ok).isEqualTo(RunStatus.RUN_STATUS_FINISHED);
        }
        for (String failed : new String[] {"1", "137\n", "failed", "OOMKilled"}) {
            Files.writeString(marker, failed);
            assertThat(StopControl.statusFrom(marker)).as("'%s'", failed).isEqualTo(RunStatus.RUN_STATUS_FAILED);
        }
    }

    @Test
    void stopsWhenTheMarkerAppearsOrAStopIsRequested() throws IOException {
        Path marker = dir.resolve("stop");
        AtomicLong now = new AtomicLong();
        StopControl byMarker = new StopControl(marker, now::get);
        assertThat(byMarker.shouldStop()).isFalse();
        Files.writeString(marker, "2");
        assertThat(byMarker.shouldStop()).as("the marker is looked at a few times a second, not on every call")
                .isFalse();
        now.addAndGet(100_000_000L);
        assertThat(byMarker.shouldStop()).isTrue();
        assertThat(byMarker.trainingEnded()).isTrue();
        assertThat(byMarker.reason()).contains(marker.toString());
        assertThat(byMarker.runStatus()).isEqualTo(RunStatus.RUN_STATUS_FAILED);

        StopControl byRequest = new StopControl(null);
        assertThat(byRequest.shouldStop()).isFalse();
        byRequest.request();
        assertThat(byRequest.shouldStop()).isTrue();
        assertThat(byRequest.aborted()).isFalse();
        assertThat(byRequest.trainingEnded()).as("a signal says nothing about the files").isFalse();
        assertThat(byRequest.runStatus()).isEqualTo(RunStatus.RUN_STATUS_FINISHED);
    }
}
