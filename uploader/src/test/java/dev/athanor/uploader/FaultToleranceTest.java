package dev.athanor.uploader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.testing.Await;
import dev.athanor.tfevents.event.EventFileWriter;
import dev.athanor.uploader.testing.FakeIngestServer;
import dev.athanor.uploader.testing.TcpProxy;
import dev.athanor.uploader.testing.TestLogdir;
import dev.athanor.uploader.testing.TestOptions;
import dev.athanor.uploader.testing.Threads;
import io.grpc.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly once under faults: the uploader killed at random points, connections cut, the server
 * failing calls, dropping streams mid-batch and restarting. The server must end with every
 * record written exactly once.
 */
class FaultToleranceTest {

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

    /** Appends to three files in two runs in the background until stopped. */
    private CompletableFuture<Void> writeInBackground(TestLogdir logdir, AtomicBoolean writing) {
        return Threads.start("writer", () -> {
            try (EventFileWriter a = logdir.newFile("train"); EventFileWriter b = logdir.newFile("eval");
                 EventFileWriter c = logdir.newFile(".")) {
                long step = 0;
                while (writing.get()) {
                    TestLogdir.writeScalars(a, "loss", step, 50, 9);
                    TestLogdir.writeScalars(b, "accuracy", step, 5, 0);
                    TestLogdir.writeScalars(c, "lr", step, 1, 0);
                    step += 50;
                    Thread.sleep(2);
                }
            }
            return null;
        });
    }

    @Test
    void killedAndRestartedTwentyTimesAtRandomPointsEndsExact() throws Exception {
        TestLogdir logdir = new TestLogdir(dir);
        AtomicBoolean writing = new AtomicBoolean(true);
        CompletableFuture<Void> writer = writeInBackground(logdir, writing);
        Random random = new Random(42);
        int aborted = 0;
        for (int i = 0; i < 20; i++) {
            Uploader uploader = new Uploader(test.builder(dir, server.endpoint()).build());
            CompletableFuture<UploadResult> running = Threads.start("uploader", uploader::run);
            Thread.sleep(20 + random.nextInt(150));
            uploader.abort();
            UploadResult result = running.get(10, TimeUnit.SECONDS);
            if (result.outcome() == Outcome.ABORTED) {
                aborted++;
            }
            assertThat(result.outcome()).as(test.output()).isIn(Outcome.ABORTED, Outcome.SUCCESS);
        }
        writing.set(false);
        writer.get(10, TimeUnit.SECONDS);

        UploadResult last = Uploader.run(test.builder(dir, server.endpoint()).once(true).build());

        assertThat(aborted).isEqualTo(20);
        assertThat(last.outcome()).as(test.output()).isEqualTo(Outcome.SUCCESS);
        logdir.assertUploadedExactly(server.store(), last.experimentId());
    }

    @Test
    void cutConnectionsFailedCallsDroppedStreamsAndAServerRestartLoseAndDuplicateNothing() throws Exception {
        TestLogdir logdir = new TestLogdir(dir);
        server.ackDelayMillis(2);
        try (TcpProxy proxy = new TcpProxy(server.port())) {
            Uploader uploader = new Uploader(test.builder(dir, proxy.endpoint()).build());
            CompletableFuture<UploadResult> running = Threads.start("uploader", uploader::run);
            AtomicBoolean writing = new AtomicBoolean(true);
            CompletableFuture<Void> writer = writeInBackground(logdir, writing);

            for (int round = 0; round < 3; round++) {
                awaitProgress();
                proxy.cutAll();
                awaitProgress();
                server.failNextCalls(3, Status.UNAVAILABLE.withDescription("injected outage"));
                proxy.cutAll();
                awaitProgress();
                server.dropStreamAfterBatches(1);
            }
            awaitProgress();
            server.restart();
            proxy.retarget(server.port());
            awaitProgress();
            writing.set(false);
            writer.get(10, TimeUnit.SECONDS);
            uploader.requestStop();
            UploadResult result = running.get(30, TimeUnit.SECONDS);

            assertThat(result.outcome()).as(test.output()).isEqualTo(Outcome.SUCCESS);
            assertThat(result.reconnects()).as(test.output()).isGreaterThanOrEqualTo(3 * 3 + 1);
            assertThat(server.streamsDropped()).as("streams dropped after half a batch was durable").isPositive();
            logdir.assertUploadedExactly(server.store(), result.experimentId());
        }
    }

    /** Waits until the server stored more records (the uploader is connected and moving). */
    private void awaitProgress() throws InterruptedException {
        long before = server.store().acceptedRecords();
        Await.until(() -> "upload progress (300 more records); " + test.output(), Duration.ofSeconds(10),
                Duration.ofMillis(5), () -> server.store().acceptedRecords() >= before + 300);
    }

    @Test
    void aStreamThatStopsAcknowledgingIsReplacedAfterTheAckTimeout() throws Exception {
        TestLogdir logdir = new TestLogdir(dir);
        try (EventFileWriter w = logdir.newFile("run")) {
            TestLogdir.writeScalars(w, "loss", 0, 500, 0);
        }
        server.swallowAcks(true);
        Uploader uploader = new Uploader(test.builder(dir, server.endpoint()).once(true)
                .ackTimeout(java.time.Duration.ofMillis(300)).build());
        CompletableFuture<UploadResult> running = Threads.start("uploader", uploader::run);
        Await.until("a second Upload call (the first timed out waiting for acks)", Duration.ofSeconds(60),
                Duration.ofMillis(20), () -> server.calls("Upload") >= 2);
        server.swallowAcks(false);

        UploadResult result = running.get(30, TimeUnit.SECONDS);

        assertThat(result.outcome()).as(test.output()).isEqualTo(Outcome.SUCCESS);
        assertThat(test.output()).contains("no acknowledgement for");
        logdir.assertUploadedExactly(server.store(), result.experimentId());
    }
}
