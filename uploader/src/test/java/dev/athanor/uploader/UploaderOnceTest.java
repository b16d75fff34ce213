package dev.athanor.uploader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.tfevents.event.EventFileWriter;
import dev.athanor.uploader.testing.FakeIngestServer;
import dev.athanor.uploader.testing.TestLogdir;
import dev.athanor.uploader.testing.TestOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UploaderOnceTest {

    @TempDir
    Path dir;
    FakeIngestServer server;
    TestOptions test = new TestOptions();

    @BeforeEach
    void start() throws Exception {
        server = new FakeIngestServer().start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void uploadsEveryRunOnceAndCompletes() throws Exception {
        TestLogdir logdir = new TestLogdir(dir);
        try (EventFileWriter root = logdir.newFile(".");
             EventFileWriter a = logdir.newFile("train");
             EventFileWriter b = logdir.newFile("sweep/lr=0.1/eval")) {
            TestLogdir.writeScalars(root, "loss", 0, 500, 0);
            TestLogdir.writeScalars(a, "loss", 0, 3000, 0);
            TestLogdir.writeScalars(b, "accuracy", 0, 10, 0);
        }

        UploadResult result = Uploader.run(test.builder(dir, server.endpoint()).once(true).build());

        assertThat(result.outcome()).as(test.output()).isEqualTo(Outcome.SUCCESS);
        assertThat(result.exitCode()).isZero();
        assertThat(result.runs()).isEqualTo(3);
        assertThat(result.files()).isEqualTo(3);
        assertThat(result.recordsAcked()).isEqualTo(3 + 500 + 3000 + 10);
        assertThat(server.store().runs(result.experimentId())).containsOnlyKeys(".", "train", "sweep/lr=0.1/eval");
        logdir.assertUploadedExactly(server.store(), result.experimentId());
        assertThat(server.maxBatchPayloadBytes()).isLessThanOrEqualTo(64 << 10);
    }

    @Test
    void aSecondUploadResumesAndSendsNothingAgain() throws Exception {
        TestLogdir logdir = new TestLogdir(dir);
        try (EventFileWriter w = logdir.newFile("run")) {
            TestLogdir.writeScalars(w, "loss", 0, 1000, 0);
        }
        UploadResult first = Uploader.run(test.builder(dir, server.endpoint()).once(true).build());
        long batchesAfterFirst = server.store().batches();

        UploadResult second = Uploader.run(test.builder(dir, server.endpoint()).once(true).build());

        assertThat(first.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(second.outcome()).as(test.output()).isEqualTo(Outcome.SUCCESS);
        assertThat(second.recordsAcked()).isZero();
        assertThat(server.store().batches()).isEqualTo(batchesAfterFirst);
        logdir.assertUploadedExactly(server.store(), first.experimentId());
    }
}
