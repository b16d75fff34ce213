package dev.athanor.systemtests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.suite.LocalSuite;
import dev.athanor.cli.testing.SmallSweep;
import dev.athanor.cli.testing.UploadedSuite;
import dev.athanor.proto.ingest.v1.IngestAdminServiceGrpc;
import dev.athanor.proto.ingest.v1.ReindexRequest;
import dev.athanor.rawlog.SegmentNames;
import dev.athanor.systemtests.harness.S3Archive;
import dev.athanor.testing.Await;
import dev.athanor.uploader.UploadOptions;
import dev.athanor.uploader.UploadResult;
import dev.athanor.uploader.Uploader;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive's whole cycle with the real services from their built jars on embedded PostgreSQL and
 * a real S3 API (s3proxy), archive-service started by the local suite beside ingest: upload → index → archive-service copies the sealed segments to the
 * bucket, verifies them and removes the hot files → query-service serves an image from the archived
 * copy → ingest reindexes from the archive and the index is the same.
 */
class ArchiveCycleTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BUCKET = "athanor-cycle";

    @TempDir
    Path home;

    private final HttpClient http = HttpClient.newHttpClient();

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private HttpResponse<byte[]> send(String method, String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private JsonNode json(String url) throws Exception {
        HttpResponse<byte[]> response = send("GET", url);
        assertThat(response.statusCode()).as("GET %s: %s", url, new String(response.body())).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static List<Path> segments(Path hotRoot) throws IOException {
        try (Stream<Path> files = Files.walk(hotRoot)) {
            return files.filter(p -> SegmentNames.isSegment(p.getFileName().toString())).toList();
        }
    }

    @Test
    void uploadIndexArchiveReadThroughTheArchiveAndReindexFromIt() throws Exception {
        S3Archive bucket = S3Archive.bucket(BUCKET);
        Map<String, String> store = bucket.environment();
        // The loop is off: this test runs each pass itself.
        store.put("ATHANOR_ARCHIVE_TIERING_ENABLED", "false");
        Path repo = UploadedSuite.repoRoot();
        LocalSuite.Settings settings = new LocalSuite.Settings(home, repo, Path.of(System.getProperty("java.home")),
                freePort(), freePort(), freePort(), freePort(), freePort(), Duration.ofMinutes(3)).withArchive(freePort());
        try (LocalSuite suite = LocalSuite.start(settings, step -> System.out.println("[cycle] " + step), store)) {
            String api = suite.restBase();

            // 1. Upload and finish the runs; wait until the index holds everything.
            Path logdir = home.resolve("logdir");
            SmallSweep.write(logdir);
            UploadResult uploaded = Uploader.run(UploadOptions.builder(logdir, "cycle", suite.grpcEndpoint())
                    .once(true).finishRuns(true).progress(UploadOptions.ProgressMode.QUIET).build());
            assertThat(uploaded.succeeded()).as(uploaded.message()).isTrue();
            long experiment = json(api + "/experiments?name=cycle").get("items").get(0).get("id").asLong();
            long good = -1;
            List<Long> runIds = new java.util.ArrayList<>();
            for (JsonNode run : json(api + "/runs?experiment=" + experiment).get("items")) {
                runIds.add(run.get("id").asLong());
                if (run.get("path").asText().equals("good")) {
                    good = run.get("id").asLong();
                }
            }
            // FinishRun seals each run's segment; the indexer records the seal.
            for (long runId : runIds) {
                Await.holdsWithin(Duration.ofSeconds(60), Duration.ofMillis(250), () -> {
                    JsonNode segs = json(api + "/runs/" + runId + "/archive").get("segments");
                    return !segs.isEmpty() && segs.get(0).get("state").asText().equals("SEALED");
                });
            }
            String image = api + "/runs/" + good + "/blobs/data?tag=samples&step=5&index=2";
            byte[] hotImage = null;
            for (int i = 0; i < 240 && hotImage == null; i++) {
                HttpResponse<byte[]> r = send("GET", image);
                if (r.statusCode() == 200) {
                    hotImage = r.body();
                } else {
                    Thread.sleep(250);
                }
            }
            assertThat(hotImage).as("the image of step 5").isNotNull().hasSize(12);
            String exportBefore = new String(send("GET", api + "/export?experiment=" + experiment).body());
            assertThat(exportBefore.lines().count()).isGreaterThan(50);

            // 2. One archive pass: sealed segments go to the bucket, verified, and leave hot storage.
            List<Path> hotBefore = segments(settings.hotRoot());
            assertThat(hotBefore).hasSize(3);
            JsonNode pass = JSON.readTree(send("POST", suite.archiveBase(0) + "/archive/passes").body());
            assertThat(pass.get("status").asText()).as(pass.toString()).isEqualTo("RAN");
            assertThat(pass.get("archived").asInt()).isEqualTo(3);
            assertThat(pass.get("hotDeleted").asInt()).isEqualTo(3);
            assertThat(segments(settings.hotRoot())).isEmpty();
            // The bucket holds the three segments and, beside the run that has them, its profiler files.
            List<String> keys = bucket.keys();
            assertThat(keys).filteredOn(k -> k.contains("/events.out.tfevents.")).hasSize(3);
            assertThat(keys).filteredOn(k -> !k.contains("/events.out.tfevents."))
                    .hasSize(4).allMatch(k -> k.startsWith("athanor/default/cycle/good/plugins/profile/"));

            // 3. The image comes from the archived copy, byte for byte.
            HttpResponse<byte[]> archived = send("GET", image);
            assertThat(archived.statusCode()).as(new String(archived.body())).isEqualTo(200);
            assertThat(archived.body()).isEqualTo(hotImage);
            JsonNode where = json(api + "/runs/" + good + "/archive");
            assertThat(where.get("segments").get(0).get("hot").asBoolean()).isFalse();
            assertThat(where.get("segments").get(0).get("archiveTier").asText()).isEqualTo("WARM");

            // 4. Reindex from the archive gives the same data.
            ManagedChannel channel = ManagedChannelBuilder.forTarget(suite.grpcEndpoint()).usePlaintext().build();
            try {
                IngestAdminServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.MINUTES)
                        .reindex(ReindexRequest.newBuilder().setExperimentId(Long.toString(experiment)).build());
            } finally {
                channel.shutdownNow();
            }
            String exportAfter = new String(send("GET", api + "/export?experiment=" + experiment).body());
            assertThat(exportAfter).isEqualTo(exportBefore);
            assertThat(send("GET", image).body()).isEqualTo(hotImage);
        }
    }
}
