package dev.athanor.systemtests.robustness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.suite.LocalSuite;
import dev.athanor.cli.testing.Cli;
import dev.athanor.systemtests.harness.ExportedPoints;
import dev.athanor.systemtests.harness.TestDirs;
import dev.athanor.systemtests.harness.TestSuites;
import dev.athanor.testing.Await;
import dev.athanor.testing.OptionalPart;
import dev.athanor.tfevents.event.EventFileWriter;
import dev.athanor.uploader.Outcome;
import dev.athanor.uploader.UploadOptions;
import dev.athanor.uploader.UploadResult;
import dev.athanor.uploader.Uploader;
import dev.athanor.uploader.testing.TestLogdir;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 14's probes replayed against the real services (packaged ingest-service and query-service
 * on embedded PostgreSQL, started as {@code athanor up} starts them), one suite shared by every
 * probe: each asserts that the good data around the bad input is exported unchanged and that both
 * services still answer {@code /q/health} UP afterwards. When the test can mount one (root), ingest's
 * hot root is a 64 MiB tmpfs of its own, which the disk-full probe fills to the last byte.
 *
 * <p>Probes kept elsewhere, not repeated here: ingest killed (SIGKILL) and restarted mid-upload
 * ({@code UploadFaultsTest}); 5,000 runs under {@code ulimit -n 1024} ({@code OpenFileLimitTest});
 * a NUL in each REST parameter and the 10,000-character filter by GET at the service level
 * ({@code RequestEdgesResourceTest}); how the indexer isolates tags past its bound and entries
 * PostgreSQL refuses ({@code PoisonIsolationTest}, {@code TagBoundTest}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RobustnessSuiteTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    // HTTP/1.1: no h2c upgrade attempt, which a refused request line would cut short.
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** Half-open connections of the flood, per port. */
    private static final int FLOOD = 200;

    /** The hot root's own filesystem when one can be mounted: small, so the disk-full probe can fill it. */
    private static final String HOT_TMPFS_SIZE = "64m";
    /** Readiness turns DOWN below this much free space on the hot root (the default, 256 MiB, exceeds the tmpfs). */
    private static final long MIN_FREE_BYTES = 8L << 20;

    private Path home;
    private LocalSuite suite;
    /** Null when the hot root is a tmpfs of its own; otherwise why not. */
    private String noTmpfs;

    @BeforeAll
    void startTheSuite() throws Exception {
        home = Files.createTempDirectory("athanor-robustness-");
        LocalSuite.Settings settings = TestSuites.settings(home, 1);
        noTmpfs = Tmpfs.mount(Files.createDirectories(settings.hotRoot()), HOT_TMPFS_SIZE);
        // Short connection limits, so the flood probe sees them act within the test's time.
        suite = LocalSuite.start(settings.withEnvironment(Map.of(
                        "QUARKUS_HTTP_IDLE_TIMEOUT", "3S",
                        "QUARKUS_GRPC_SERVER_HANDSHAKE_TIMEOUT", "3S",
                        "ATHANOR_INGEST_CONNECTIONS_MAX_IDLE", "PT3S",
                        "ATHANOR_INGEST_HEALTH_MIN_FREE_BYTES", Long.toString(MIN_FREE_BYTES))),
                step -> System.out.println("[robustness] " + step));
    }

    @AfterAll
    void stopTheSuite() {
        if (suite != null) {
            suite.close();
        }
        if (noTmpfs == null) {
            Tmpfs.unmount(home.resolve("hot"));
        }
        TestDirs.deleteTree(home);
    }

    @AfterEach
    void bothServicesStayHealthy() throws Exception {
        for (int port : List.of(suite.settings().ingestHttpPort(0), suite.settings().queryPort())) {
            HttpResponse<String> health = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health")));
            assertThat(health.statusCode()).as("port %d: %s", port, health.body()).isEqualTo(200);
            assertThat(JSON.readTree(health.body()).get("status").asText()).isEqualTo("UP");
        }
    }

    @Test
    void corruptTruncatedAndGarbageFilesKeepTheGoodDataBesideThem() throws Exception {
        Path logdir = home.resolve("bad-files");
        TestLogdir runs = new TestLogdir(logdir);
        writeScalars(runs, "good", 40);
        writeScalars(runs, "mixed", 30);
        // Garbage under an event file's name, beside the good file of the same run.
        byte[] garbage = new byte[4096];
        new Random(14).nextBytes(garbage);
        Files.write(logdir.resolve("mixed").resolve("events.out.tfevents.2.garbage"), garbage);
        // A file whose last record is cut in the middle (a writer killed mid-write).
        Path truncated = logdir.resolve("truncated");
        writeScalars(runs, "truncated", 20);
        Path truncatedFile;
        try (var files = Files.list(truncated)) {
            truncatedFile = files.findFirst().orElseThrow();
        }
        byte[] whole = Files.readAllBytes(truncatedFile);
        Files.write(truncatedFile, java.util.Arrays.copyOf(whole, whole.length - 7));

        UploadResult result = upload(logdir, "bad-files");

        assertThat(result.outcome()).isEqualTo(Outcome.PARTIAL);
        assertThat(result.problems().toString()).as("the garbage is a located problem").contains("garbage");
        // The garbage holds no record (inspect finds none either, and says so by failing): the export
        // equals inspect of the logdir without it — the good file beside it and the truncated file's records.
        Files.delete(logdir.resolve("mixed").resolve("events.out.tfevents.2.garbage"));
        assertExportEqualsInspect(result, logdir);
    }

    @Test
    void poisonRunNamesAreRefusedOneByOneAndTheOthersArrive() throws Exception {
        Path logdir = home.resolve("poison-names");
        TestLogdir runs = new TestLogdir(logdir);
        writeScalars(runs, "good", 25);
        writeScalars(runs, "sweep/lr=0.1", 15);
        writeScalars(runs, ".hidden", 5);  // TensorBoard lists dot-directories: so does the upload
        // (A segment of more than 255 bytes, the other poison name, cannot be created on Linux.)
        List<String> poison = List.of("bad\nname", "bad\u0007bell", "esc\u001b[31m");
        for (String name : poison) {
            writeScalars(runs, name, 5);
        }

        UploadResult result = upload(logdir, "poison-names");

        assertThat(result.outcome()).isEqualTo(Outcome.PARTIAL);
        assertThat(result.problems()).extracting(p -> p.runPath()).containsExactlyInAnyOrderElementsOf(poison);
        // The export holds exactly the runs with good names: inspect of the logdir without the refused ones.
        for (String name : poison) {
            TestDirs.deleteTree(logdir.resolve(name));
        }
        assertExportEqualsInspect(result, logdir);
    }

    @Test
    void aOneMebibyteTagNameLeavesTheRunsOtherTagsIndexedAndTheLogQuiet() throws Exception {
        Path logdir = home.resolve("huge-tag");
        TestLogdir runs = new TestLogdir(logdir);
        String hugeTag = "t".repeat(1 << 20);
        try (EventFileWriter writer = runs.newFile("r")) {
            for (int step = 0; step < 5; step++) {
                writer.write(TestLogdir.scalar("loss", step));
                writer.write(TestLogdir.scalar(hugeTag, step));
                writer.write(TestLogdir.scalar("accuracy", step));
            }
        }
        Path ingestLog = suite.settings().logs().resolve("ingest-service.log");
        long logBefore = Files.size(ingestLog);

        UploadResult result = upload(logdir, "huge-tag");
        long started = System.nanoTime();

        long experimentId = Long.parseLong(result.experimentId());
        AtomicReference<List<String>> exported = new AtomicReference<>(List.of());
        Await.holdsWithin(Duration.ofSeconds(30), Duration.ofMillis(250), () -> {
            exported.set(TestSuites.get(suite, "/api/v1/export?experiment=" + experimentId).lines()
                    .map(line -> readTag(line)).toList());
            return exported.get().size() >= 10;
        });
        List<String> tags = exported.get();
        System.out.printf("[robustness] the run's normal tags exported %d ms after the upload ended%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        assertThat(tags).as("the normal tags, each point once; the long one not among them")
                .containsExactlyInAnyOrder("loss", "loss", "loss", "loss", "loss",
                        "accuracy", "accuracy", "accuracy", "accuracy", "accuracy");
        // Refused by the uploader (a located problem in its result) or taken and recorded as the run's problem.
        String located = result.problems().isEmpty() ? problemsOfTheOnlyRun(experimentId)
                : result.problems().toString();
        assertThat(located).as("where the long tag went").containsIgnoringCase("tag");
        Thread.sleep(2000);  // the indexer's retries, were there any, would log meanwhile
        assertThat(Files.size(ingestLog) - logBefore).as("bytes ingest logged about it").isLessThan(10_000);
    }

    private static String readTag(String exportLine) {
        try {
            return JSON.readTree(exportLine).get("tag").asText();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private String problemsOfTheOnlyRun(long experimentId) throws IOException {
        long runId = JSON.readTree(TestSuites.get(suite, "/api/v1/runs?experiment=" + experimentId)).get("items").get(0)
                .get("id").asLong();
        return TestSuites.get(suite, "/api/v1/runs/" + runId + "/problems");
    }

    @Test
    void aNulInAParameterIsA400AndAnOverlongUrlAJson414() throws Exception {
        String query = "http://127.0.0.1:" + suite.settings().queryPort();
        HttpResponse<String> nul = send(HttpRequest.newBuilder(URI.create(query + "/api/v1/experiments?name=a%00b")));
        assertThat(nul.statusCode()).as(nul.body()).isEqualTo(400);
        assertThat(nul.body()).contains("name");

        HttpResponse<String> tooLong = send(HttpRequest.newBuilder(
                URI.create(query + "/api/v1/runs?filter=" + "x".repeat(140_000))));
        assertThat(tooLong.statusCode()).isEqualTo(414);
        assertThat(JSON.readTree(tooLong.body()).get("error").asText()).as(tooLong.body()).isEqualTo("URI_TOO_LONG");
    }

    @Test
    void theCliSendsAFilterOfTheDocumentedTenThousandCharactersAndGetsTheRightRuns() throws Exception {
        Path logdir = home.resolve("long-filter");
        TestLogdir runs = new TestLogdir(logdir);
        writeScalars(runs, "wanted", 12);
        writeScalars(runs, "other", 12);
        UploadResult uploaded = upload(logdir, "long-filter");
        assertThat(uploaded.outcome()).isEqualTo(Outcome.SUCCESS);
        // Far past what a URL may carry: the CLI must send it in a body.
        StringBuilder filter = new StringBuilder("path = 'wanted' and metrics.loss@count = 12");
        for (int i = 0; filter.length() < 9_900; i++) {
            filter.append(" and path != 'no-such-run-").append(i).append('\'');
        }
        assertThat(filter.length()).isBetween(9_900, 10_000);
        String server = "--server=http://127.0.0.1:" + suite.settings().queryPort();
        Cli.Outcome listed = Await.value("runs list with the long filter, once the runs are indexed", Duration.ofMinutes(1),
                Duration.ofMillis(500), () -> {
                    Cli.Outcome o = Cli.run("runs", "list", server, "--experiment", "long-filter", "--format", "json",
                            "--filter", filter.toString());
                    return o.exitCode() == 0 && o.stdout().contains("wanted") ? o : null;
                });
        assertThat(JSON.readTree(listed.stdout()).findValuesAsText("path")).containsExactly("wanted");
        Cli.Outcome exported = Cli.run("export", server, "--experiment", "long-filter", "--filter", filter.toString());
        assertThat(exported.exitCode()).as(exported.toString()).isZero();
        assertThat(exported.stdout().lines().toList()).hasSize(12).allSatisfy(line -> assertThat(line).contains("\"wanted\""));
    }

    @Test
    void aFloodOfHalfOpenConnectionsIsClosedAndHealthAnswersThroughout() throws Exception {
        int grpc = suite.settings().grpcPort(0);
        int ingestHttp = suite.settings().ingestHttpPort(0);
        int queryHttp = suite.settings().queryPort();
        // Half an HTTP/2 preface, then nothing.
        byte[] halfPreface = "PRI * HTTP/2.0\r\n\r\nSM".getBytes(StandardCharsets.US_ASCII);
        List<Socket> flood = new ArrayList<>();
        try {
            for (int port : List.of(grpc, ingestHttp, queryHttp)) {
                for (int i = 0; i < FLOOD; i++) {
                    Socket s = new Socket();
                    s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
                    s.getOutputStream().write(halfPreface);
                    s.setSoTimeout(30_000);
                    flood.add(s);
                }
            }
            // Health answers on a fresh connection while the flood is held.
            for (int port : List.of(ingestHttp, queryHttp)) {
                long t0 = System.nanoTime();
                HttpResponse<String> health = send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health"))
                        .timeout(Duration.ofSeconds(5)));
                assertThat(health.statusCode()).as("port %d during the flood: %s", port, health.body()).isIn(200, 503);
                System.out.printf("[robustness] /q/health on port %d answered in %d ms with %d half-open connections%n",
                        port, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0), flood.size());
            }
            // Every half-open connection is closed by the server (EOF or reset), within the socket timeout.
            int closed = 0;
            for (Socket s : flood) {
                if (closedByServer(s)) {
                    closed++;
                }
            }
            assertThat(closed).as("half-open connections the services closed").isEqualTo(flood.size());
        } finally {
            for (Socket s : flood) {
                s.close();
            }
        }
    }

    /** True when the server ends the connection (after whatever it answered, e.g. a GOAWAY). */
    private static boolean closedByServer(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[4096];
            while (in.read(buffer) >= 0) {
                // what the server says before it closes (SETTINGS, GOAWAY, an HTTP error) is not asked about
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;  // reset by the server
        }
    }

    @Test
    void aFullHotDiskRefusesWritesTurnsReadinessDownAndRecoversByItselfLosingNothing() throws Exception {
        OptionalPart.TMPFS.assumePresent(noTmpfs == null, () -> "the disk-full probe fills a tmpfs of its own: " + noTmpfs);
        Path logdir = home.resolve("disk-full");
        TestLogdir runs = new TestLogdir(logdir);
        writeScalars(runs, "before", 200);
        assertThat(upload(logdir, "disk-full").outcome()).isEqualTo(Outcome.SUCCESS);

        // Fill the hot root's filesystem to the last byte.
        Path filler = suite.settings().hotRoot().resolve(".filler");
        long filled = Tmpfs.fill(filler);
        String ready = "http://127.0.0.1:" + suite.settings().ingestHttpPort(0) + "/q/health/ready";
        String down = Await.value("ingest's readiness DOWN for the full disk (" + filled + " bytes of filler)",
                Duration.ofSeconds(30), Duration.ofMillis(250), () -> {
                    HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(ready)));
                    return r.statusCode() == 503 ? r.body() : null;
                });
        assertThat(down).as("the reason").contains("write-headroom").contains("free");

        // A run written while the disk is full: its upload is refused (retried), ingest stays alive.
        writeScalars(runs, "during", 3_000);
        CompletableFuture<UploadResult> uploading = CompletableFuture.supplyAsync(() -> upload(logdir, "disk-full",
                Duration.ofMinutes(3)));
        String live = "http://127.0.0.1:" + suite.settings().ingestHttpPort(0) + "/q/health/live";
        for (int i = 0; i < 10; i++) {
            assertThat(send(HttpRequest.newBuilder(URI.create(live))).statusCode()).as("liveness while the disk is full").isEqualTo(200);
            Thread.sleep(500);
        }
        assertThat(uploading).as("the upload waits for room instead of finishing").isNotDone();

        // Room again: readiness comes back by itself, the upload finishes, nothing acknowledged is lost.
        Files.delete(filler);
        Await.until("ingest's readiness UP again", Duration.ofSeconds(30),
                () -> send(HttpRequest.newBuilder(URI.create(ready))).statusCode() == 200);
        UploadResult result = uploading.get(3, TimeUnit.MINUTES);
        assertThat(result.outcome()).as(result.message()).isEqualTo(Outcome.SUCCESS);
        assertExportEqualsInspect(result, logdir);
    }

    private void assertExportEqualsInspect(UploadResult result, Path logdir) throws InterruptedException {
        ExportedPoints.assertExportEqualsInspect(path -> TestSuites.get(suite, path), Long.parseLong(result.experimentId()),
                logdir, Duration.ofMinutes(1));
    }

    private UploadResult upload(Path logdir, String experiment) {
        return upload(logdir, experiment, Duration.ofMinutes(1));
    }

    private UploadResult upload(Path logdir, String experiment, Duration retryTimeout) {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        UploadResult result = Uploader.run(UploadOptions.builder(logdir, experiment, suite.grpcEndpoint())
                .once(true)
                .retryTimeout(retryTimeout)
                .progress(UploadOptions.ProgressMode.LOG)
                .out(new PrintStream(log, true, StandardCharsets.UTF_8))
                .environment(Map.of())
                .build());
        System.out.println("[robustness] upload of " + logdir.getFileName() + ": " + result.outcome());
        return result;
    }

    private static void writeScalars(TestLogdir runs, String run, int points) throws IOException {
        try (EventFileWriter writer = runs.newFile(run)) {
            TestLogdir.writeScalars(writer, "loss", 0, points, 0);
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
