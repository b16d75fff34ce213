package dev.athanor.uploader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.testing.Await;
import dev.athanor.tfevents.event.EventFileWriter;
import dev.athanor.uploader.testing.FakeIngestServer;
import dev.athanor.uploader.testing.TestLogdir;
import dev.athanor.uploader.testing.IngestStore;
import dev.athanor.uploader.testing.TestOptions;
import dev.athanor.uploader.testing.Threads;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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

    @Test
    void aStopRequestEndsAOnceUploadAfterWhatIsInFlightAndALaterUploadResumes() throws Exception {
        TestLogdir logdir = new TestLogdir(dir);
        try (EventFileWriter w = logdir.newFile("run")) {
            TestLogdir.writeScalars(w, "loss", 0, 20_000, 0);
        }
        Uploader uploader = new Uploader(test.builder(dir, server.endpoint()).once(true)
                .maxBatchBytes(8 << 10).maxBytesPerSecond(64 << 10).build());
        var running = Threads.start("uploader", uploader::run);
        Await.until("the server to accept a first record", Duration.ofSeconds(60), Duration.ofMillis(5),
                () -> server.store().acceptedRecords() > 0);
        uploader.requestStop();

        UploadResult stopped = running.get(10, TimeUnit.SECONDS);

        assertThat(stopped.outcome()).as(test.output()).isEqualTo(Outcome.ABORTED);
        assertThat(stopped.message()).contains("stopped on request").contains("bytes were not uploaded");
        long partial = server.store().acceptedRecords();
        assertThat(partial).isPositive().isLessThan(20_001);
        assertThat(stopped.recordsAcked()).isEqualTo(partial);

        UploadResult resumed = Uploader.run(test.builder(dir, server.endpoint()).once(true).build());
        assertThat(resumed.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(resumed.recordsAcked()).isEqualTo(20_001 - partial);
        logdir.assertUploadedExactly(server.store(), resumed.experimentId());
    }

    @Test
    void aOnceUploadOfALogdirStillBeingWrittenEnds() throws Exception {
        TestLogdir logdir = new TestLogdir(dir);
        AtomicBoolean writing = new AtomicBoolean(true);
        var writer = Threads.start("writer", () -> {
            try (EventFileWriter w = logdir.newFile("run")) {
                for (long step = 0; writing.get(); step += 20) {
                    TestLogdir.writeScalars(w, "loss", step, 20, 0);
                    Thread.sleep(1);
                }
            }
            return null;
        });
        Await.until("the writer's first event file", Duration.ofSeconds(60), Duration.ofMillis(5),
                () -> !logdir.eventFiles().isEmpty());

        UploadResult result = Uploader.run(test.builder(dir, server.endpoint()).once(true).build());
        writing.set(false);
        writer.get(10, TimeUnit.SECONDS);

        assertThat(result.outcome()).as(test.output()).isEqualTo(Outcome.SUCCESS);
        Path file = logdir.eventFiles().get(0);
        List<IngestStore.StoredRecord> written = TestLogdir.records(file);
        List<IngestStore.StoredRecord> stored = server.store().records(result.experimentId(), "run",
                file.getFileName().toString());
        assertThat(stored).isNotEmpty().isEqualTo(written.subList(0, stored.size()));
        assertThat(server.store().violations()).isEmpty();
    }

    @Test
    void manyMoreFilesThanMayBeOpenAtOnceAllArrive() throws Exception {
        TestLogdir logdir = new TestLogdir(dir);
        for (int run = 0; run < 8; run++) {
            for (int f = 0; f < 4; f++) {
                try (EventFileWriter w = logdir.newFile("run-" + run)) {
                    TestLogdir.writeScalars(w, "loss", 0, 300, 0);
                }
            }
        }

        UploadResult result = Uploader.run(test.builder(dir, server.endpoint()).once(true)
                .maxOpenFiles(2).maxBatchBytes(2000).build());

        assertThat(result.outcome()).as(test.output()).isEqualTo(Outcome.SUCCESS);
        assertThat(result.files()).isEqualTo(32);
        logdir.assertUploadedExactly(server.store(), result.experimentId());
    }
}
