package dev.athanor.uploader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.proto.ingest.v1.RunStatus;
import dev.athanor.testing.Await;
import dev.athanor.tfevents.event.EventFileWriter;
import dev.athanor.uploader.testing.FakeIngestServer;
import dev.athanor.uploader.testing.TestLogdir;
import dev.athanor.uploader.testing.TestOptions;
import dev.athanor.uploader.testing.Threads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The uploader tails files while a writer appends to them, then drains when training ends. */
class SidecarTailTest {

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
    void tailsGrowingFilesAndNewRunsThenFinishesOnTheStopMarker() throws Exception {
        TestLogdir logdir = new TestLogdir(dir);
        Uploader uploader = new Uploader(test.builder(dir, server.endpoint()).build());
        CompletableFuture<UploadResult> running = Threads.start("uploader", uploader::run);

        try (EventFileWriter train = logdir.newFile("train"); EventFileWriter eval = logdir.newFile("eval")) {
            for (int round = 0; round < 20; round++) {
                // Small flushes through a 64 KiB buffer leave records cut in half at the file's end.
                TestLogdir.writeScalars(train, "loss", round * 200L, 200, 7);
                TestLogdir.writeScalars(eval, "accuracy", round, 1, 0);
                if (round == 10) {
                    try (EventFileWriter late = logdir.newFile("late/run")) {
                        TestLogdir.writeScalars(late, "loss", 0, 300, 0);
                    }
                }
                Thread.sleep(15);
            }
        }
        Files.writeString(dir.resolve(".athanor-stop"), "0\n");
        UploadResult result = running.get(30, TimeUnit.SECONDS);

        assertThat(result.outcome()).as(test.output()).isEqualTo(Outcome.SUCCESS);
        logdir.assertUploadedExactly(server.store(), result.experimentId());
        assertThat(server.store().runs(result.experimentId()))
                .containsOnlyKeys("train", "eval", "late/run")
                .allSatisfy((run, status) -> assertThat(status).isEqualTo(RunStatus.RUN_STATUS_FINISHED));
        assertThat(test.output()).contains("event=runs_finished").contains("found run late/run");
    }

    @Test
    void aStopMarkerSayingFailureMarksTheRunsFailed() throws Exception {
        TestLogdir logdir = new TestLogdir(dir);
        try (EventFileWriter w = logdir.newFile("run")) {
            TestLogdir.writeScalars(w, "loss", 0, 100, 0);
        }
        Files.writeString(dir.resolve(".athanor-stop"), "137\n");

        UploadResult result = Uploader.run(test.builder(dir, server.endpoint()).build());

        assertThat(result.outcome()).as(test.output()).isEqualTo(Outcome.SUCCESS);
        assertThat(server.store().runs(result.experimentId())).containsEntry("run", RunStatus.RUN_STATUS_FAILED);
        logdir.assertUploadedExactly(server.store(), result.experimentId());
    }

    @Test
    void whenTrainingEndedAnIncompleteLastRecordIsReportedNotWaitedFor() throws Exception {
        TestLogdir logdir = new TestLogdir(dir);
        Path file;
        long cutAt;
        try (EventFileWriter w = logdir.newFile("run")) {
            TestLogdir.writeScalars(w, "loss", 0, 100, 0);
            cutAt = w.position();
            w.write(TestLogdir.scalar("loss", 100));
            file = w.file();
        }
        try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(cutAt + 20); // the writer died in the middle of its last record
        }
        Files.writeString(dir.resolve(".athanor-stop"), "1");

        UploadResult result = Uploader.run(test.builder(dir, server.endpoint()).build());

        assertThat(result.outcome()).as(test.output()).isEqualTo(Outcome.SUCCESS);
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(Problem.Kind.TRUNCATED_TAIL);
            assertThat(p.offset()).isEqualTo(cutAt);
            assertThat(p.message()).contains(file.toString()).contains("offset " + cutAt);
        });
        assertThat(server.store().records(result.experimentId(), "run", file.getFileName().toString()))
                .hasSize(101).containsExactlyElementsOf(TestLogdir.records(file));
        assertThat(server.store().runs(result.experimentId())).containsEntry("run", RunStatus.RUN_STATUS_FAILED);
    }

    @Test
    void requestStopDrainsWhatIsThereAndFinishesTheRuns() throws Exception {
        TestLogdir logdir = new TestLogdir(dir);
        Uploader uploader = new Uploader(test.builder(dir, server.endpoint()).build());
        CompletableFuture<UploadResult> running = Threads.start("uploader", uploader::run);
        try (EventFileWriter w = logdir.newFile("run")) {
            TestLogdir.writeScalars(w, "loss", 0, 2000, 0);
        }
        uploader.requestStop();

        UploadResult result = running.get(30, TimeUnit.SECONDS);

        assertThat(result.outcome()).as(test.output()).isEqualTo(Outcome.SUCCESS);
        logdir.assertUploadedExactly(server.store(), result.experimentId());
        assertThat(server.store().runs(result.experimentId())).containsEntry("run", RunStatus.RUN_STATUS_FINISHED);
    }

    @Test
    @SuppressWarnings("removal")
    void sigtermDrainsAndFinishesTheRunsInsteadOfKillingTheProcess() throws Exception {
        TestLogdir logdir = new TestLogdir(dir);
        try (EventFileWriter w = logdir.newFile("run")) {
            TestLogdir.writeScalars(w, "loss", 0, 500, 0);
        }
        Uploader uploader = new Uploader(test.builder(dir, server.endpoint()).handleSignals(true).build());
        CompletableFuture<UploadResult> running = Threads.start("uploader", uploader::run);
        Await.until("the server to accept all 501 records", Duration.ofSeconds(60), Duration.ofMillis(5),
                () -> server.store().acceptedRecords() >= 501);

        // Without the uploader's handler this would end the test JVM: what Kubernetes sends a sidecar.
        sun.misc.Signal.raise(new sun.misc.Signal("TERM"));
        UploadResult result = running.get(30, TimeUnit.SECONDS);

        assertThat(result.outcome()).as(test.output()).isEqualTo(Outcome.SUCCESS);
        assertThat(test.output()).contains("event=draining").contains("stop requested");
        assertThat(server.store().runs(result.experimentId())).containsEntry("run", RunStatus.RUN_STATUS_FINISHED);
        logdir.assertUploadedExactly(server.store(), result.experimentId());
    }

    @Test
    void waitsForALogdirThatDoesNotExistYet() throws Exception {
        Path later = dir.resolve("logs");
        TestLogdir logdir = new TestLogdir(later);
        Uploader uploader = new Uploader(test.builder(later, server.endpoint())
                .stopFile(dir.resolve("done")).build());
        CompletableFuture<UploadResult> running = Threads.start("uploader", uploader::run);
        Await.until(() -> "the uploader to wait for " + later + "; it said: " + test.output(), Duration.ofSeconds(60),
                Duration.ofMillis(10), () -> test.output().contains("waiting for " + later));
        try (EventFileWriter w = logdir.newFile(".")) {
            TestLogdir.writeScalars(w, "loss", 0, 50, 0);
        }
        Files.writeString(dir.resolve("done"), "");

        UploadResult result = running.get(30, TimeUnit.SECONDS);

        assertThat(result.outcome()).as(test.output()).isEqualTo(Outcome.SUCCESS);
        assertThat(test.output()).contains("waiting for " + later);
        logdir.assertUploadedExactly(server.store(), result.experimentId());
        assertThat(server.store().runs(result.experimentId())).containsOnlyKeys(".");
    }
}
