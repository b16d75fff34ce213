package dev.athanor.uploader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.tfevents.testing.Fixtures;
import dev.athanor.uploader.testing.FakeIngestServer;
import dev.athanor.uploader.testing.IngestStore;
import dev.athanor.uploader.testing.TestLogdir;
import dev.athanor.uploader.testing.TestOptions;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The real event files of the shared fixtures, with their run layout, arrive byte for byte. */
class FixturesUploadTest {

    @Test
    void everyFixtureRecordArrivesOnceAtItsOffset() throws Exception {
        Path fixtures = Fixtures.dir();
        TestOptions test = new TestOptions();
        try (FakeIngestServer server = new FakeIngestServer().start()) {
            UploadResult result = Uploader.run(test.builder(fixtures, server.endpoint()).once(true).build());

            // golden/*.json sit beside the fixtures with "tfevents" in their names, so TensorBoard's
            // rule lists them as event files too; they are reported as corrupt, everything else is clean.
            assertThat(result.problems()).as(test.output())
                    .allSatisfy(p -> assertThat(p.file()).startsWith(Fixtures.GOLDEN_DIR + "/"));
            assertThat(server.store().violations()).isEmpty();
            TestLogdir logdir = new TestLogdir(fixtures);
            List<Path> files = Fixtures.eventFiles();
            assertThat(files).hasSizeGreaterThan(20);
            long records = 0;
            for (Path file : files) {
                List<IngestStore.StoredRecord> expected = TestLogdir.records(file);
                assertThat(server.store().records(result.experimentId(), logdir.runPath(file),
                        file.getFileName().toString()))
                        .as(Fixtures.relativeName(file)).containsExactlyElementsOf(expected);
                records += expected.size();
            }
            assertThat(result.recordsAcked()).isEqualTo(records);
        }
    }
}
