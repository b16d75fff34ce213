package dev.athanor.uploader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.proto.ingest.v1.RunStatus;
import dev.athanor.tfevents.event.EventFileWriter;
import dev.athanor.uploader.testing.FakeIngestServer;
import dev.athanor.uploader.testing.TestLogdir;
import dev.athanor.uploader.testing.TestOptions;
import dev.athanor.uploader.testing.Threads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run whose name the server does not take is one skipped run, reported once; the rest of the logdir uploads. */
class RunNameRefusalTest {

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
    void aRunDirectoryWithAControlCharacterIsSkippedAndTheGoodRunsArrive() throws Exception {
        TestLogdir logdir = new TestLogdir(dir);
        writeRun(logdir, "good", 200);
        writeRun(logdir, "sweep/lr=0.1", 150);
        writeRun(logdir, "bad\nname", 100);

        UploadResult result = Uploader.run(test.builder(dir, server.endpoint()).once(true).build());

        assertThat(result.outcome()).as(test.output()).isEqualTo(Outcome.PARTIAL);
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(Problem.Kind.NAME_REFUSED);
            assertThat(p.runPath()).isEqualTo("bad\nname");
            assertThat(p.message()).contains("bad\\u000aname").contains("U+000A").contains("none of the run's files");
        });
        assertThat(server.store().runs(result.experimentId())).containsOnlyKeys("good", "sweep/lr=0.1");
        assertThat(recordsOf(logdir, result, "good")).isEqualTo(201);
        assertThat(recordsOf(logdir, result, "sweep/lr=0.1")).isEqualTo(151);
        // The output names the run escaped, never with a raw control character in it.
        assertThat(test.output()).contains("U+000A at index 3").doesNotContain("bad\nname");
    }

    @Test
    void aRunTheServerRefusesAnywayIsSkippedWithTheServersReason() throws Exception {
        server.refuseRuns(path -> path.startsWith("strict"));
        TestLogdir logdir = new TestLogdir(dir);
        writeRun(logdir, "good", 50);
        writeRun(logdir, "strict", 50);

        UploadResult result = Uploader.run(test.builder(dir, server.endpoint()).once(true).build());

        assertThat(result.outcome()).as(test.output()).isEqualTo(Outcome.PARTIAL);
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(Problem.Kind.NAME_REFUSED);
            assertThat(p.message()).contains("refused by the server").contains("INVALID_ARGUMENT")
                    .contains("not accepted by this server");
        });
        assertThat(server.store().runs(result.experimentId())).containsOnlyKeys("good");
        assertThat(recordsOf(logdir, result, "good")).isEqualTo(51);
    }

    @Test
    void aSidecarKeepsUploadingNewRunsAfterRefusingOne() throws Exception {
        server.refuseRuns(path -> path.equals("strict"));
        TestLogdir logdir = new TestLogdir(dir);
        writeRun(logdir, "bad\u0007bell", 20);
        writeRun(logdir, "strict", 20);
        Uploader uploader = new Uploader(test.builder(dir, server.endpoint()).build());
        CompletableFuture<UploadResult> running = Threads.start("uploader", uploader::run);

        writeRun(logdir, "first", 100);
        Thread.sleep(300);
        writeRun(logdir, "later", 100);
        Files.writeString(dir.resolve(".athanor-stop"), "0\n");
        UploadResult result = running.get(30, TimeUnit.SECONDS);

        assertThat(result.outcome()).as(test.output()).isEqualTo(Outcome.PARTIAL);
        assertThat(result.problems()).extracting(Problem::kind)
                .containsExactly(Problem.Kind.NAME_REFUSED, Problem.Kind.NAME_REFUSED);
        assertThat(server.store().runs(result.experimentId()))
                .containsOnlyKeys("first", "later")
                .allSatisfy((run, status) -> assertThat(status).isEqualTo(RunStatus.RUN_STATUS_FINISHED));
        assertThat(recordsOf(logdir, result, "later")).isEqualTo(101);
    }

    private static void writeRun(TestLogdir logdir, String run, int points) throws Exception {
        try (EventFileWriter w = logdir.newFile(run)) {
            TestLogdir.writeScalars(w, "loss", 0, points, 0);
        }
    }

    /** Records stored for the run's single event file (the file-version record included). */
    private int recordsOf(TestLogdir logdir, UploadResult result, String run) throws Exception {
        Path file = logdir.eventFiles().stream().filter(f -> logdir.runPath(f).equals(run)).findFirst().orElseThrow();
        return server.store().records(result.experimentId(), run, file.getFileName().toString()).size();
    }
}
