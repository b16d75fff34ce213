package dev.athanor.profile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.profile.decode.ProfileFormat;
import dev.athanor.profile.index.Limits;
import dev.athanor.profile.index.ProfileIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecodeProgressTest {

    @TempDir
    Path dir;

    @Test
    void aDecodeCountsEveryPassOverTheFileAndEndsAtOne() throws Exception {
        Path xplane = Traces.resource("tf/vm.xplane.pb");
        DecodeProgress progress = new DecodeProgress(Files.size(xplane));
        assertThat(progress.fraction()).isZero();
        try (ProfileIndex index = Profiles.decode(Traces.file(xplane), ProfileFormat.XPLANE, dir.resolve("tf"),
                Limits.DEFAULT, progress)) {
            assertThat(index.events()).isPositive();
        }
        assertThat(progress.bytesRead()).isEqualTo(2 * Files.size(xplane));
        assertThat(progress.fraction()).isEqualTo(1.0);
    }

    @Test
    void progressGrowsWhileABigTraceIsReadAndNeverGoesBack() throws Exception {
        Path trace = dir.resolve("big.pt.trace.json");
        BigTrace.write(trace, 8L << 20);
        DecodeProgress progress = new DecodeProgress(Files.size(trace));
        List<Double> seen = new ArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        Thread watcher = Thread.ofPlatform().start(() -> {
            while (!done.get()) {
                seen.add(progress.fraction());
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try (ProfileIndex index = Profiles.decode(Traces.file(trace), ProfileFormat.PYTORCH_TRACE, dir.resolve("pt"),
                Limits.DEFAULT, progress)) {
            assertThat(index.steps()).isNotEmpty();
        } finally {
            done.set(true);
            watcher.join();
        }
        assertThat(progress.bytesRead()).isEqualTo(Files.size(trace));
        assertThat(progress.fraction()).isEqualTo(1.0);
        assertThat(seen).as("fractions seen while decoding").isSortedAccordingTo(Double::compare)
                .anySatisfy(f -> assertThat(f).isStrictlyBetween(0.0, 1.0));
    }
}
