package dev.athanor.uploader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.proto.ingest.v1.UploadLimits;
import dev.athanor.testing.Await;
import dev.athanor.tfevents.event.EventFileWriter;
import dev.athanor.tfevents.record.FileHead;
import dev.athanor.uploader.discovery.DiscoveredFile;
import dev.athanor.uploader.discovery.LogdirRunDiscovery;
import dev.athanor.uploader.discovery.LogdirScan;
import dev.athanor.uploader.discovery.RunDiscovery;
import dev.athanor.uploader.testing.FakeIngestServer;
import dev.athanor.uploader.testing.IngestStore;
import dev.athanor.uploader.testing.TestLogdir;
import dev.athanor.uploader.testing.TestOptions;
import dev.athanor.uploader.testing.Threads;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input and bad surroundings: clear messages, the good data around them kept, the right exit code. */
class BadInputTest {

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
    void aCorruptRecordInTheMiddleIsNamedAndTheRestOfTheFileArrives() throws Exception {
        TestLogdir logdir = new TestLogdir(dir);
        Path file;
        try (EventFileWriter w = logdir.newFile("run")) {
            TestLogdir.writeScalars(w, "loss", 0, 2000, 0);
            file = w.file();
        }
        List<IngestStore.StoredRecord> original = TestLogdir.records(file);
        IngestStore.StoredRecord victim = original.get(1000);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(victim.offset() + 12 + 3); // a payload byte: the payload CRC no longer matches
            raf.write(raf.read() ^ 0x5a);
        }

        UploadResult result = Uploader.run(test.builder(dir, server.endpoint()).once(true).build());

        assertThat(result.outcome()).as(test.output()).isEqualTo(Outcome.PARTIAL);
        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(Problem.Kind.CORRUPT_RECORD);
            assertThat(p.offset()).isEqualTo(victim.offset());
            assertThat(p.file()).isEqualTo("run/" + file.getFileName());
            assertThat(p.message()).contains(file.toString()).contains("offset " + victim.offset());
        });
        assertThat(test.output()).contains("offset " + victim.offset());
        List<IngestStore.StoredRecord> stored = server.store().records(result.experimentId(), "run",
                file.getFileName().toString());
        assertThat(stored).hasSize(original.size() - 1)
                .containsExactlyElementsOf(original.stream().filter(r -> r != victim).toList());
        assertThat(server.store().violations()).isEmpty();
    }

    @Test
    void aFileThatCannotBeReadIsReportedAndTheOtherFilesArrive() throws Exception {
        TestLogdir logdir = new TestLogdir(dir);
        try (EventFileWriter w = logdir.newFile("good")) {
            TestLogdir.writeScalars(w, "loss", 0, 100, 0);
        }
        // Listed as an event file but unreadable (tests run as root, so permissions cannot be
        // used): a directory where the file should be.
        Path unreadable = Files.createDirectories(dir.resolve("bad/events.out.tfevents.1700000000.host.1.0"));
        Function<UploadOptions, RunDiscovery> listingIt = o -> () -> {
            LogdirScan scan = new LogdirRunDiscovery(o.logdir()).scan();
            List<DiscoveredFile> files = new ArrayList<>(scan.files());
            files.add(new DiscoveredFile("bad", unreadable.getFileName().toString(), unreadable, 4096));
            return new LogdirScan(files, scan.problems());
        };

        UploadResult result = new Uploader(test.builder(dir, server.endpoint()).once(true).build(), listingIt).run();

        assertThat(result.outcome()).as(test.output()).isEqualTo(Outcome.PARTIAL);
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(Problem.Kind.UNREADABLE_FILE);
            assertThat(p.file()).isEqualTo("bad/events.out.tfevents.1700000000.host.1.0");
            assertThat(p.message()).contains(unreadable.toString()).contains("cannot read");
        });
        assertThat(server.store().records(result.experimentId(), "good",
                logdir.eventFiles().get(0).getFileName().toString())).hasSize(101);
    }

    @Test
    void aLogdirThatDisappearsEndsTheUploadWithAClearMessage() throws Exception {
        Path logs = dir.resolve("logs");
        TestLogdir logdir = new TestLogdir(logs);
        try (EventFileWriter w = logdir.newFile("run")) {
            TestLogdir.writeScalars(w, "loss", 0, 100, 0);
        }
        Uploader uploader = new Uploader(test.builder(logs, server.endpoint()).build());
        CompletableFuture<UploadResult> running = Threads.start("uploader", uploader::run);
        Await.until("the server to accept the first 101 records", Duration.ofSeconds(60), Duration.ofMillis(10),
                () -> server.store().acceptedRecords() >= 101);
        try (Stream<Path> walk = Files.walk(logs)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }

        UploadResult result = running.get(10, TimeUnit.SECONDS);

        assertThat(result.outcome()).as(test.output()).isEqualTo(Outcome.FAILED);
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.message()).contains("logdir " + logs).contains("does not exist");
    }

    @Test
    void aMissingLogdirInOnceModeIsAnOptionsError() {
        UploadResult result = Uploader.run(test.builder(dir.resolve("nope"), server.endpoint()).once(true).build());

        assertThat(result.outcome()).isEqualTo(Outcome.INVALID_OPTIONS);
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.message()).contains(dir.resolve("nope").toString()).contains("does not exist");
        assertThat(server.totalCalls()).isZero();
    }

    @Test
    void aWrongEndpointFailsAfterTheRetryBudgetNamingTheEndpoint() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        new TestLogdir(dir).newFile("run").close();

        UploadResult result = Uploader.run(test.builder(dir, "127.0.0.1:" + closedPort).once(true)
                .retryTimeout(Duration.ofMillis(600)).build());

        assertThat(result.outcome()).as(test.output()).isEqualTo(Outcome.FAILED);
        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.message()).contains("127.0.0.1:" + closedPort).contains("UNAVAILABLE");
        assertThat(result.reconnects()).as("never connected, so nothing was re-established").isZero();
        assertThat(test.output()).contains("event=connecting").doesNotContain("event=reconnecting");
    }

    @Test
    void anUploadStartedJustBeforeIngestListensReportsNoReconnects() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        TestLogdir logdir = new TestLogdir(dir);
        try (EventFileWriter w = logdir.newFile("run")) {
            TestLogdir.writeScalars(w, "loss", 0, 50, 0);
        }
        CompletableFuture<UploadResult> running = Threads.start("uploader", () -> Uploader.run(
                test.builder(dir, "127.0.0.1:" + port).once(true).retryTimeout(Duration.ofSeconds(20)).build()));
        Thread.sleep(1500); // several connection attempts fail meanwhile
        FakeIngestServer late = new FakeIngestServer().start(port);
        try {
            UploadResult result = running.get(30, TimeUnit.SECONDS);
            assertThat(result.outcome()).as(test.output()).isEqualTo(Outcome.SUCCESS);
            assertThat(result.reconnects()).as(test.output()).isZero();
            assertThat(test.output()).contains("event=connecting").contains("reconnects=0");
        } finally {
            late.close();
        }
    }

    @Test
    void anEndpointWithoutAPortIsAnOptionsError() {
        UploadResult result = Uploader.run(test.builder(dir, "ingest.example").once(true).build());

        assertThat(result.outcome()).isEqualTo(Outcome.INVALID_OPTIONS);
        assertThat(result.message()).contains("ingest.example").contains("HOST:PORT");
    }

    @Test
    void unusableSettingsAreOptionsErrorsNamingTheSetting() {
        UploadResult zeroPoll = Uploader.run(test.builder(dir, server.endpoint()).pollInterval(Duration.ZERO).build());
        UploadResult noFiles = Uploader.run(test.builder(dir, server.endpoint()).maxOpenFiles(0).build());

        assertThat(zeroPoll.outcome()).isEqualTo(Outcome.INVALID_OPTIONS);
        assertThat(zeroPoll.message()).contains("poll interval must be positive");
        assertThat(noFiles.message()).contains("max open files must be at least 1");
        assertThat(server.totalCalls()).isZero();
    }

    @Test
    void aRejectedTokenEndsAtOnceWithoutRetries() throws Exception {
        server.requireToken("s3cret");
        new TestLogdir(dir).newFile("run").close();

        UploadResult result = Uploader.run(test.builder(dir, server.endpoint()).once(true)
                .environment(Map.of("ATHANOR_TOKEN", "wrong")).build());

        assertThat(result.outcome()).as(test.output()).isEqualTo(Outcome.AUTH_REJECTED);
        assertThat(result.exitCode()).isEqualTo(4);
        assertThat(result.message()).contains("rejected the credentials").contains("$ATHANOR_TOKEN")
                .doesNotContain("wrong");
        assertThat(server.totalCalls()).isEqualTo(1);
    }

    @Test
    void aTokenFromAFileIsSentAsABearerToken() throws Exception {
        server.requireToken("s3cret");
        TestLogdir logdir = new TestLogdir(dir.resolve("logs"));
        try (EventFileWriter w = logdir.newFile("run")) {
            TestLogdir.writeScalars(w, "loss", 0, 10, 0);
        }
        Path tokenFile = dir.resolve("token");
        Files.writeString(tokenFile, "s3cret\n");

        UploadResult result = Uploader.run(test.builder(logdir.root(), server.endpoint()).once(true)
                .tokenFile(tokenFile).environment(Map.of("ATHANOR_TOKEN", "ignored-when-a-file-is-given")).build());

        assertThat(result.outcome()).as(test.output()).isEqualTo(Outcome.SUCCESS);
        logdir.assertUploadedExactly(server.store(), result.experimentId());
    }

    @Test
    void anUnreadableTokenFileIsAnOptionsError() {
        UploadResult result = Uploader.run(test.builder(dir, server.endpoint()).once(true)
                .tokenFile(dir.resolve("missing-token")).build());

        assertThat(result.outcome()).isEqualTo(Outcome.INVALID_OPTIONS);
        assertThat(result.message()).contains("missing-token");
    }

    @Test
    void theServersBatchAndInflightLimitsAreObeyed() throws Exception {
        server.limits(UploadLimits.newBuilder().setMaxMessageBytes(64 << 10).setMaxBatchBytes(2000)
                .setMaxInflightBatches(2).build());
        server.ackDelayMillis(3);
        TestLogdir logdir = new TestLogdir(dir);
        try (EventFileWriter a = logdir.newFile("a"); EventFileWriter b = logdir.newFile("b")) {
            TestLogdir.writeScalars(a, "loss", 0, 1500, 0);
            TestLogdir.writeScalars(b, "loss", 0, 1500, 0);
        }

        UploadResult result = Uploader.run(test.builder(dir, server.endpoint()).once(true).build());

        assertThat(result.outcome()).as(test.output()).isEqualTo(Outcome.SUCCESS);
        assertThat(server.maxBatchPayloadBytes()).isLessThanOrEqualTo(2000).isGreaterThan(1000);
        assertThat(server.maxInflightSeen()).isEqualTo(2);
        logdir.assertUploadedExactly(server.store(), result.experimentId());
    }

    @Test
    void aRecordLargerThanTheServerAcceptsIsSkippedAndNamed() throws Exception {
        server.limits(UploadLimits.newBuilder().setMaxRecordBytes(1000).build());
        TestLogdir logdir = new TestLogdir(dir);
        Path file;
        long bigOffset;
        try (EventFileWriter w = logdir.newFile("run")) {
            TestLogdir.writeScalars(w, "loss", 0, 10, 0);
            bigOffset = w.writeSerialized(TestLogdir.scalar("x".repeat(5000), 10).toByteArray());
            TestLogdir.writeScalars(w, "loss", 11, 10, 0);
            file = w.file();
        }

        UploadResult result = Uploader.run(test.builder(dir, server.endpoint()).once(true).build());

        assertThat(result.outcome()).as(test.output()).isEqualTo(Outcome.PARTIAL);
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(Problem.Kind.RECORD_TOO_LARGE);
            assertThat(p.offset()).isEqualTo(bigOffset);
            assertThat(p.message()).contains(file.toString()).contains("1000 bytes");
        });
        List<IngestStore.StoredRecord> stored = server.store().records(result.experimentId(), "run",
                file.getFileName().toString());
        assertThat(stored).hasSize(21).noneMatch(r -> r.offset() == bigOffset);
    }

    @Test
    void theGracePeriodBoundsADrainThatCannotFinish() throws Exception {
        TestLogdir logdir = new TestLogdir(dir);
        try (EventFileWriter w = logdir.newFile("run")) {
            TestLogdir.writeScalars(w, "loss", 0, 100, 0);
        }
        server.swallowAcks(true);
        Files.writeString(dir.resolve(".athanor-stop"), "");

        UploadResult result = Uploader.run(test.builder(dir, server.endpoint())
                .gracePeriod(Duration.ofMillis(400)).build());

        assertThat(result.outcome()).as(test.output()).isEqualTo(Outcome.DRAIN_TIMEOUT);
        assertThat(result.exitCode()).isEqualTo(5);
        assertThat(result.message()).contains("grace period").contains("not acknowledged");
        assertThat(server.calls("FinishRun")).isZero();
    }

    @Test
    void aFileRewrittenInPlaceBetweenTwoUploadsIsNamedNotMergedIntoTheStoredOne() throws Exception {
        TestLogdir logdir = new TestLogdir(dir);
        Path file;
        try (EventFileWriter w = logdir.newFile("run")) {
            TestLogdir.writeScalars(w, "loss", 0, 100, 0);
            file = w.file();
        }
        UploadResult first = Uploader.run(test.builder(dir, server.endpoint()).once(true).build());
        assertThat(first.outcome()).as(test.output()).isEqualTo(Outcome.SUCCESS);
        List<IngestStore.StoredRecord> stored = server.store().records(first.experimentId(), "run",
                file.getFileName().toString());

        // Training restarted and wrote a longer file under the same name (another first record:
        // its file_version event carries another wall time).
        Path elsewhere = Files.createDirectories(dir.resolveSibling(dir.getFileName() + "-rewrite"));
        Path rewritten;
        try (EventFileWriter w = laterWriter(elsewhere)) {
            w.write(TestLogdir.scalar("other", 0).toBuilder().setWallTime(42.0).build());
            TestLogdir.writeScalars(w, "loss", 500, 300, 0);
            rewritten = w.file();
        }
        assertThat(FileHead.read(rewritten)).isNotEqualTo(FileHead.read(file));
        Files.copy(rewritten, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThat(Files.size(file)).isGreaterThan(stored.get(stored.size() - 1).offset());

        UploadResult second = Uploader.run(test.builder(dir, server.endpoint()).once(true).build());

        assertThat(second.outcome()).as(test.output()).isEqualTo(Outcome.PARTIAL);
        assertThat(second.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(Problem.Kind.FILE_REWRITTEN);
            assertThat(p.file()).isEqualTo("run/" + file.getFileName());
            assertThat(p.message()).contains(file.toString()).contains("rewritten in place");
        });
        assertThat(server.store().records(first.experimentId(), "run", file.getFileName().toString()))
                .as("the stored file is left as it was, not extended with the new file's tail")
                .isEqualTo(stored);
        assertThat(server.store().violations()).isEmpty();
    }

    /**
     * Sidecar mode: a file rewritten in place while the uploader watches it, already longer by the
     * next scan (so its size alone shows nothing), is named FILE_REWRITTEN by its first record and
     * not merged into what was sent of the earlier file.
     */
    @Test
    void aFileRewrittenWhileWatchedAndAlreadyLongerIsNamedNotMerged() throws Exception {
        Rewrite rewrite = rewriteWhileWatched("-rewrite", "rewritten in place while it was uploaded", file -> {
        });
        Path file = rewrite.file();
        UploadResult result = rewrite.result();

        assertThat(rewrite.replacementSize()).isGreaterThan(rewrite.originalSize());
        assertThat(result.outcome()).as(test.output()).isEqualTo(Outcome.PARTIAL);
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(Problem.Kind.FILE_REWRITTEN);
            assertThat(p.file()).isEqualTo("run/" + file.getFileName());
            assertThat(p.message()).contains(file.toString()).contains("rewritten in place while it was uploaded");
        });
        assertThat(server.store().records(result.experimentId(), "run", file.getFileName().toString()))
                .as("what was sent of the earlier file, and nothing of the new one").isEqualTo(rewrite.original());
        assertThat(server.store().violations()).isEmpty();
    }

    @Test
    void aFileDeletedAndWrittenAgainUnderItsNameIsNamedNotMerged() throws Exception {
        Rewrite rewrite = rewriteWhileWatched("-again", "rewritten in place", file -> {
            Files.delete(file);
            Thread.sleep(500); // ten scans: the uploader sees the file gone before the new one appears
        });
        Path file = rewrite.file();
        UploadResult result = rewrite.result();

        assertThat(result.outcome()).as(test.output()).isEqualTo(Outcome.PARTIAL);
        assertThat(result.problems()).singleElement().satisfies(p -> {
            assertThat(p.kind()).isEqualTo(Problem.Kind.FILE_REWRITTEN);
            assertThat(p.message()).contains(file.toString()).contains("rewritten in place");
        });
        assertThat(server.store().records(result.experimentId(), "run", file.getFileName().toString()))
                .as("what was sent of the earlier file, and nothing of the new one").isEqualTo(rewrite.original());
        assertThat(server.store().violations()).isEmpty();
    }

    /** What {@link #rewriteWhileWatched} did to the watched file and what the uploader made of it. */
    private record Rewrite(Path file, long originalSize, long replacementSize,
            List<IngestStore.StoredRecord> original, UploadResult result) {
    }

    /** What happens to the watched file once its first records are stored, before its replacement appears. */
    @FunctionalInterface
    private interface BeforeTheReplacement {
        void run(Path file) throws Exception;
    }

    /**
     * Sidecar mode: writes a 101-record file, lets the uploader watch it until the server holds all
     * of it, runs {@code before}, then renames a longer file with a different first record onto its
     * name (one rename: every scan sees either the old file or the whole new one; a copy would let a
     * scan see it missing or short, which other tests cover), waits for the uploader to say
     * {@code reported} and stops it.
     */
    private Rewrite rewriteWhileWatched(String elsewhereSuffix, String reported, BeforeTheReplacement before)
            throws Exception {
        TestLogdir logdir = new TestLogdir(dir);
        Path file;
        try (EventFileWriter w = logdir.newFile("run")) {
            TestLogdir.writeScalars(w, "loss", 0, 100, 0);
            file = w.file();
        }
        long originalSize = Files.size(file);
        List<IngestStore.StoredRecord> original = TestLogdir.records(file);
        Uploader uploader = new Uploader(test.builder(dir, server.endpoint()).pollInterval(Duration.ofMillis(50)).build());
        CompletableFuture<UploadResult> running = Threads.start("uploader", uploader::run);
        Await.until("the server to accept the first 101 records", Duration.ofSeconds(60), Duration.ofMillis(10),
                () -> server.store().acceptedRecords() >= 101);
        before.run(file);
        Path elsewhere = Files.createDirectories(dir.resolveSibling(dir.getFileName() + elsewhereSuffix));
        Path replacement;
        try (EventFileWriter w = laterWriter(elsewhere)) {
            w.write(TestLogdir.scalar("other", 0).toBuilder().setWallTime(42.0).build());
            TestLogdir.writeScalars(w, "loss", 500, 300, 0);
            replacement = w.file();
        }
        long replacementSize = Files.size(replacement);
        Files.move(replacement, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        Await.until(() -> "the uploader to report the rewrite; it said: " + test.output(), Duration.ofSeconds(20),
                Duration.ofMillis(20), () -> test.output().contains(reported));
        Files.writeString(dir.resolve(".athanor-stop"), "");
        return new Rewrite(file, originalSize, replacementSize, original, running.get(20, TimeUnit.SECONDS));
    }

    /**
     * A writer whose file_version record is a second later than any written so far: files created
     * in the same millisecond would start with the same record and be the same file to a reader.
     */
    private static EventFileWriter laterWriter(Path logdir) throws IOException {
        return EventFileWriter.create(logdir.resolve("run"), java.time.Clock.offset(java.time.Clock.systemUTC(), Duration.ofSeconds(1)));
    }
}
