package dev.athanor.systemtests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.suite.LocalSuite;
import dev.athanor.cli.testing.ProfilerOutput;
import dev.athanor.rawlog.SegmentNames;
import dev.athanor.systemtests.harness.ExportedPoints;
import dev.athanor.systemtests.harness.LiveLogdir;
import dev.athanor.systemtests.harness.TestSuites;
import dev.athanor.testing.OptionalPart;
import dev.athanor.testing.TensorBoardPython;
import dev.athanor.tfevents.event.EventFileWriter;
import dev.athanor.uploader.Outcome;
import dev.athanor.uploader.UploadOptions;
import dev.athanor.uploader.UploadResult;
import dev.athanor.uploader.Uploader;
import dev.athanor.uploader.testing.TcpProxy;
import dev.athanor.uploader.testing.TestLogdir;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The uploader against the real ingest-service (its built jar, on real PostgreSQL) while things
 * break: ingest is killed (SIGKILL) and restarted twice — once in the middle of a profiler trace's
 * upload — and live connections are cut, while a writer appends to the event files. In the end
 * the raw log holds every record exactly once, in order, the index every point, and the
 * profiler files arrive byte for byte, listed and served by query-service.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UploadFaultsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXPERIMENT = "faults";
    private static final List<String> RUNS = List.of("train", "eval");
    private static final int XPLANE_BYTES = 6 << 20;

    private Path home;
    private LocalSuite suite;

    @BeforeAll
    void startTheSuite() throws Exception {
        home = Files.createTempDirectory("athanor-faults-");
        suite = TestSuites.start(home, 1, "faults");
    }

    @AfterAll
    void stopTheSuite() {
        TestSuites.stop(suite, home);
    }

    @Test
    void killsRestartsAndCutsLoseAndDuplicateNothing() throws Exception {
        Path logdir = home.resolve("logdir");
        TestLogdir writerDir = new TestLogdir(logdir);
        Map<String, List<String>> assets = new TreeMap<>();
        assets.put("train", ProfilerOutput.writeSynthetic(logdir.resolve("train"), "host-a", XPLANE_BYTES, 1));
        AtomicBoolean writing = new AtomicBoolean(true);
        List<EventFileWriter> writers = new ArrayList<>();
        for (String run : RUNS) {
            writers.add(writerDir.newFile(run));
        }
        // Own threads: the common pool may have a single worker on a small machine.
        ExecutorService threads = Executors.newCachedThreadPool();
        CompletableFuture<Long> written = CompletableFuture.supplyAsync(() -> LiveLogdir.writeUntilStopped(writers, writing, 20, 15), threads);

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        UploadResult result;
        try (TcpProxy proxy = new TcpProxy(suite.settings().grpcPort())) {
            Uploader uploader = new Uploader(UploadOptions.builder(logdir, EXPERIMENT, proxy.endpoint())
                    .pollInterval(Duration.ofMillis(100))
                    .assetQuietPeriod(Duration.ofMillis(300))
                    .maxBytesPerSecond(1_500_000) // the 6 MiB trace takes ~4 s: long enough to crash ingest inside it
                    .maxBatchBytes(16 << 10)
                    .initialBackoff(Duration.ofMillis(100))
                    .maxBackoff(Duration.ofSeconds(1))
                    .retryTimeout(Duration.ofMinutes(3))
                    .rpcTimeout(Duration.ofSeconds(10))
                    .ackTimeout(Duration.ofSeconds(15))
                    .gracePeriod(Duration.ofMinutes(2))
                    .progress(UploadOptions.ProgressMode.LOG)
                    .out(new PrintStream(log, true, StandardCharsets.UTF_8))
                    .environment(Map.of())
                    .build());
            CompletableFuture<UploadResult> running = CompletableFuture.supplyAsync(uploader::run, threads);

            Path partials = suite.settings().hotRoot().resolve("default/" + EXPERIMENT + "/train/.athanor.assets");
            awaitTrue("a part of the trace on the server", () -> {
                if (running.isDone()) {
                    throw new AssertionError("the upload ended early: " + running.join().message() + "\n" + log);
                }
                return sizeOf(partials) > 0;
            });
            long beforeCrash = sizeOf(partials);
            suite.crashAndRestartIngest();
            assertThat(beforeCrash).as("the crash came before the trace was complete").isLessThan(XPLANE_BYTES);

            for (int cut = 0; cut < 3; cut++) {
                Thread.sleep(700);
                proxy.cutAll();
            }
            Thread.sleep(1000);
            suite.crashAndRestartIngest();
            Thread.sleep(1500);
            proxy.cutAll();

            writing.set(false);
            written.get(60, TimeUnit.SECONDS);
            Files.writeString(logdir.resolve(UploadOptions.DEFAULT_STOP_FILE_NAME), "0");
            result = running.get(5, TimeUnit.MINUTES);
        } finally {
            threads.shutdownNow();
        }
        String output = log.toString(StandardCharsets.UTF_8);
        System.out.println("[faults] " + result.message() + "; reconnects " + result.reconnects() + ", took "
                + result.elapsed().toSeconds() + " s");
        assertThat(result.outcome()).as(output).isEqualTo(Outcome.SUCCESS);
        assertThat(result.reconnects()).as("reconnects").isGreaterThanOrEqualTo(3);
        assertThat(result.assets()).isEqualTo(assets.get("train").size());
        assertThat(output).contains("event=asset_uploaded");

        assertRawLogHoldsEveryRecordOnceInOrder(writerDir);
        long experimentId = experimentId();
        assertIndexHoldsEveryPoint(logdir, experimentId);
        assertAssetsArrivedByteForByte(logdir, experimentId, assets, EXPERIMENT);
    }

    /** PyTorch's own profiler output (when a Python with torch is at hand) arrives as written. */
    @Test
    void realTorchProfilerTracesArrive() throws Exception {
        Path logdir = home.resolve("torch-logdir");
        try (EventFileWriter writer = new TestLogdir(logdir).newFile("resnet")) {
            TestLogdir.writeScalars(writer, "loss", 0, 5, 0);
        }
        Optional<Path> session = ProfilerOutput.writeWithTorch(logdir.resolve("resnet"));
        OptionalPart.TORCH.assumePresent(session.isPresent(), TensorBoardPython.torchMissing());
        List<String> traces;
        try (Stream<Path> files = Files.walk(session.get())) {
            traces = files.filter(Files::isRegularFile)
                    .map(f -> logdir.resolve("resnet").relativize(f).toString().replace('\\', '/')).toList();
        }
        assertThat(traces).anySatisfy(t -> assertThat(t).endsWith(".pt.trace.json"));

        UploadResult result = Uploader.run(UploadOptions.builder(logdir, "torch-profiler", suite.grpcEndpoint())
                .once(true).assetQuietPeriod(Duration.ZERO).progress(UploadOptions.ProgressMode.QUIET)
                .environment(Map.of()).build());

        assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.SUCCESS);
        long experimentId = JSON.readTree(get("/api/v1/experiments?name=torch-profiler")).get("items").get(0)
                .get("id").asLong();
        assertAssetsArrivedByteForByte(logdir, experimentId, Map.of("resnet", traces), "torch-profiler");
    }

    /** The hot raw log's segments of each run hold exactly the source file's records, in order. */
    private void assertRawLogHoldsEveryRecordOnceInOrder(TestLogdir logdir) throws IOException {
        for (Path source : logdir.eventFiles()) {
            String run = logdir.runPath(source);
            List<ByteBuffer> expected = LiveLogdir.payloads(List.of(source));
            Path runDir = suite.settings().hotRoot().resolve("default/" + EXPERIMENT + "/" + run);
            List<Path> segments;
            try (Stream<Path> files = Files.list(runDir)) {
                segments = files.filter(p -> SegmentNames.isSegment(p.getFileName().toString())).sorted().toList();
            }
            List<ByteBuffer> stored = LiveLogdir.payloads(segments);
            assertThat(stored.size()).as(run + ": records in the raw log").isEqualTo(expected.size());
            assertThat(stored).as(run + ": the raw log equals the source, record by record").isEqualTo(expected);
        }
    }


    /** The export (every indexed value) equals an inspect of the files, as a set, once each. */
    private void assertIndexHoldsEveryPoint(Path logdir, long experimentId) throws Exception {
        ExportedPoints.assertExportEqualsInspect(this::get, experimentId, logdir, Duration.ofSeconds(120));
    }

    private void assertAssetsArrivedByteForByte(Path logdir, long experimentId, Map<String, List<String>> assets,
                                                String experiment) throws Exception {
        Map<String, Long> runIds = new HashMap<>();
        for (JsonNode run : JSON.readTree(get("/api/v1/runs?experiment=" + experimentId)).get("items")) {
            runIds.put(run.get("path").asText(), run.get("id").asLong());
        }
        for (var entry : assets.entrySet()) {
            long runId = runIds.get(entry.getKey());
            JsonNode listing = JSON.readTree(get("/api/v1/runs/" + runId + "/assets?prefix="
                    + URLEncoder.encode("plugins/profile/", StandardCharsets.UTF_8)));
            List<String> listed = new ArrayList<>();
            for (JsonNode item : listing.get("items")) {
                String path = item.get("path").asText();
                listed.add(path);
                byte[] local = Files.readAllBytes(logdir.resolve(entry.getKey()).resolve(path));
                assertThat(item.get("size").asLong()).as(path).isEqualTo(local.length);
                assertThat(item.get("sha256").asText()).as(path)
                        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(local)));
                assertThat(download(item.get("downloadUrl").asText())).as(path).isEqualTo(local);
                assertThat(suite.settings().hotRoot().resolve("default/" + experiment + "/" + entry.getKey())
                        .resolve(path)).as("stored in the TensorBoard layout").exists();
            }
            assertThat(listed).containsExactlyInAnyOrderElementsOf(entry.getValue());
        }
    }

    private long experimentId() throws IOException {
        return JSON.readTree(get("/api/v1/experiments?name=" + EXPERIMENT)).get("items").get(0).get("id").asLong();
    }

    private String get(String pathAndQuery) {
        return TestSuites.get(suite, pathAndQuery);
    }

    private byte[] download(String pathAndQuery) {
        return TestSuites.download(suite, pathAndQuery);
    }

    private static long sizeOf(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.mapToLong(p -> p.toFile().length()).sum();
        } catch (IOException e) {
            return 0;
        }
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void awaitTrue(String what, Condition condition) throws Exception {
        Instant deadline = Instant.now().plusSeconds(120);
        while (!condition.holds()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
