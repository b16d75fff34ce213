package dev.athanor.uploader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.tfevents.event.EventFileWriter;
import dev.athanor.uploader.testing.FakeIngestServer;
import dev.athanor.uploader.testing.TestLogdir;
import dev.athanor.uploader.testing.TestOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An ingest server without the asset RPCs (the fake): the records still arrive, the assets are reported. */
class AssetsUnsupportedTest {

    @TempDir
    Path dir;

    @Test
    void eventsArriveAndTheSkippedAssetsAreReported() throws Exception {
        TestLogdir logdir = new TestLogdir(dir);
        try (EventFileWriter train = logdir.newFile("train")) {
            TestLogdir.writeScalars(train, "loss", 0, 50, 0);
        }
        Path trace = dir.resolve("train/plugins/profile/s/host.xplane.pb");
        Files.createDirectories(trace.getParent());
        Files.write(trace, new byte[1000]);
        TestOptions test = new TestOptions();
        try (FakeIngestServer server = new FakeIngestServer().start()) {
            UploadResult result = Uploader.run(test.builder(dir, server.endpoint()).once(true)
                    .assetQuietPeriod(Duration.ZERO).build());

            assertThat(result.outcome()).as(test.output()).isEqualTo(Outcome.PARTIAL);
            logdir.assertUploadedExactly(server.store(), result.experimentId());
            assertThat(result.problems()).singleElement().satisfies(p -> {
                assertThat(p.kind()).isEqualTo(Problem.Kind.ASSETS_UNSUPPORTED);
                assertThat(p.message()).contains("does not take asset files").contains("UNIMPLEMENTED");
            });
            assertThat(result.assets()).isZero();
        }
    }
}
