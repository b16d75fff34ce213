package dev.athanor.systemtests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.athanor.archive.store.testing.S3ProxyServer;
import dev.athanor.suite.LocalSuite;
import dev.athanor.suite.ServiceProcess;
import dev.athanor.cli.testing.Cli;
import dev.athanor.suite.Ports;
import dev.athanor.cli.testing.UploadedSuite;
import dev.athanor.proto.tensorboard.Event;
import dev.athanor.proto.tensorboard.Summary;
import dev.athanor.systemtests.harness.ArchiveServices;
import dev.athanor.testing.Await;
import dev.athanor.tfevents.event.EventFileWriter;
import dev.athanor.uploader.UploadOptions;
import dev.athanor.uploader.UploadResult;
import dev.athanor.uploader.Uploader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19's second region, with the real services from their built jars: two s3proxy servers are
 * two regions' buckets. Region A (its own PostgreSQL, query, ingest, archive-service) archives an
 * experiment and replicates it to region B's bucket; region B (its own PostgreSQL, query, ingest)
 * imports it with {@code athanor import --from s3://…} exactly once; more data in A reaches B with
 * the next replication pass and import, which fetch and index only the new object; with region A's
 * store stopped, B serves the scalars and an image of both passes, first from its ingest's raw log,
 * then, after B's own archive pass, from its own bucket.
 */
class ReplicaImportTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String EXPERIMENT = "live";
    private static final String REPLICA_PREFIX = "from-a";
    private static final Pattern FETCHED = Pattern.compile("(\\d+) objects, (\\d+) fetched \\(\\d+ bytes\\), (\\d+) already here");
    private static final Pattern RECORDS = Pattern.compile("(\\d+) new records");

    @TempDir
    Path home;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<byte[]> send(String method, String url, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
        request = body == null ? request.method(method, HttpRequest.BodyPublishers.noBody())
                : request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private JsonNode json(String url) throws Exception {
        HttpResponse<byte[]> response = send("GET", url, null);
        assertThat(response.statusCode()).as("GET %s: %s", url, new String(response.body())).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** One event file of run {@code train}: loss at each step, a 1x1 "image" of {@code step + 7} bytes every fifth step. */
    private static void writePart(Path logdir, long fromStep, long toStep, long fileSecond) throws IOException {
        Clock clock = Clock.fixed(Instant.ofEpochSecond(fileSecond), ZoneOffset.UTC);
        try (EventFileWriter writer = EventFileWriter.create(logdir.resolve("train"), clock)) {
            for (long step = fromStep; step < toStep; step++) {
                double wall = 1_790_000_000.0 + step;
                writer.write(Event.newBuilder().setWallTime(wall).setStep(step).setSummary(Summary.newBuilder()
                        .addValue(Summary.Value.newBuilder().setTag("loss").setSimpleValue(1f / (step + 1)))).build());
                if (step % 5 == 0) {
                    byte[] bytes = new byte[(int) step + 7];
                    bytes[0] = (byte) 0x89;
                    bytes[bytes.length - 1] = (byte) step;
                    writer.write(Event.newBuilder().setWallTime(wall).setStep(step).setSummary(Summary.newBuilder()
                            .addValue(Summary.Value.newBuilder().setTag("samples").setImage(Summary.Image.newBuilder()
                                    .setHeight(1).setWidth(1).setColorspace(3)
                                    .setEncodedImageString(ByteString.copyFrom(bytes))))).build());
                }
            }
        }
    }

    /** Uploads the logdir to region A, finishing the run (its segment is sealed), and waits for the seal. */
    private void uploadToA(LocalSuite a, Path logdir, int sealedSegments) throws Exception {
        UploadResult uploaded = Uploader.run(UploadOptions.builder(logdir, EXPERIMENT, a.grpcEndpoint())
                .once(true).finishRuns(true).progress(UploadOptions.ProgressMode.QUIET).build());
        assertThat(uploaded.succeeded()).as(uploaded.message()).isTrue();
        long run = runId(a, "train");
        Await.until("region A to seal " + sealedSegments + " segments of run train", Duration.ofSeconds(60),
                Duration.ofMillis(250), () -> {
                    JsonNode segs = json(a.restBase() + "/runs/" + run + "/archive").get("segments");
                    long sealed = 0;
                    for (JsonNode s : segs) {
                        sealed += s.get("state").asText().equals("SEALED") ? 1 : 0;
                    }
                    return sealed == sealedSegments;
                });
    }

    private long runId(LocalSuite suite, String path) throws Exception {
        JsonNode experiments = json(suite.restBase() + "/experiments?name=" + EXPERIMENT).get("items");
        for (JsonNode run : json(suite.restBase() + "/runs?experiment=" + experiments.get(0).get("id").asLong())
                .get("items")) {
            if (run.get("path").asText().equals(path)) {
                return run.get("id").asLong();
            }
        }
        throw new AssertionError("no run " + path + " in " + suite.restBase());
    }

    /** One tiering pass: archive what is sealed (and in region A, replicate it to region B's bucket). */
    private JsonNode pass(int archivePort) throws Exception {
        HttpResponse<byte[]> pass = send("POST", "http://127.0.0.1:" + archivePort + "/api/v1/archive/passes", null);
        assertThat(pass.statusCode()).as(new String(pass.body())).isEqualTo(200);
        return JSON.readTree(pass.body());
    }

    private List<String> replicaKeys(S3ProxyServer s3b) {
        return s3b.adminClient().listObjectsV2(b -> b.bucket("region-b").prefix(REPLICA_PREFIX + "/")).contents()
                .stream().map(o -> o.key()).filter(k -> k.contains("/events.out.tfevents.")).sorted().toList();
    }

    private static long[] importOutcome(Cli.Outcome outcome) {
        assertThat(outcome.exitCode()).as(outcome.toString()).isZero();
        Matcher fetched = FETCHED.matcher(outcome.stdout());
        Matcher records = RECORDS.matcher(outcome.stdout());
        assertThat(fetched.find() && records.find()).as(outcome.toString()).isTrue();
        return new long[] {Long.parseLong(fetched.group(2)), Long.parseLong(fetched.group(3)),
                Long.parseLong(records.group(1))};
    }

    private String exportOf(LocalSuite suite) throws Exception {
        long experiment = json(suite.restBase() + "/experiments?name=" + EXPERIMENT).get("items").get(0).get("id").asLong();
        return new String(send("GET", suite.restBase() + "/export?experiment=" + experiment, null).body());
    }

    /** Waits until region B's export has {@code lines} lines (the indexer runs behind the upload's acks). */
    private String awaitExport(LocalSuite b, long lines) throws Exception {
        String export = "";
        for (int i = 0; i < 240; i++) {
            export = exportOf(b);
            if (export.lines().count() == lines) {
                return export;
            }
            Thread.sleep(250);
        }
        return export;
    }

    private byte[] image(LocalSuite suite, long step) throws Exception {
        String url = suite.restBase() + "/runs/" + runId(suite, "train") + "/blobs/data?tag=samples&step=" + step
                + "&index=2";
        HttpResponse<byte[]> response = send("GET", url, null);
        assertThat(response.statusCode()).as("GET %s: %s", url, new String(response.body())).isEqualTo(200);
        return response.body();
    }

    @Test
    void regionBImportsTheReplicaOnceFollowsLaterPassesAndReadsItWithRegionAsStoreStopped() throws Exception {
        // Filesystem-backed servers are the ones a test may stop (region A's goes down below).
        S3ProxyServer s3a = S3ProxyServer.startFilesystemBacked(Files.createDirectories(home.resolve("bucket-a")));
        S3ProxyServer s3b = S3ProxyServer.startFilesystemBacked(Files.createDirectories(home.resolve("bucket-b")));
        Map<String, String> storeB = ArchiveServices.s3Store(s3b, "region-b", "ATHANOR_ARCHIVE_");
        String accessKey = System.getProperty("aws.accessKeyId");
        String secretKey = System.getProperty("aws.secretAccessKey");
        try {
            s3a.createBucket("region-a");
            s3b.createBucket("region-b");
            Map<String, String> storeA = ArchiveServices.s3Store(s3a, "region-a", "ATHANOR_ARCHIVE_");
            Path repo = UploadedSuite.repoRoot();
            Path java = Path.of(System.getProperty("java.home"));
            LocalSuite.Settings settingsA = new LocalSuite.Settings(home.resolve("region-a"), repo, java, Ports.free(),
                    Ports.free(), Ports.free(), Ports.free(), Ports.free(), Duration.ofMinutes(3));
            LocalSuite.Settings settingsB = new LocalSuite.Settings(home.resolve("region-b"), repo, java, Ports.free(),
                    Ports.free(), Ports.free(), Ports.free(), Ports.free(), Duration.ofMinutes(3));
            int archivePort = Ports.free();
            int archivePortB = Ports.free();
            try (LocalSuite a = LocalSuite.start(settingsA, step -> System.out.println("[region-a] " + step), storeA);
                 LocalSuite b = LocalSuite.start(settingsB, step -> System.out.println("[region-b] " + step),
                         storeB)) {
                Map<String, String> archiveEnv = new LinkedHashMap<>(storeA);
                archiveEnv.putAll(ArchiveServices.s3Store(s3b, "region-b", "ATHANOR_ARCHIVE_REPLICAS_REGIONB_"));
                archiveEnv.put("ATHANOR_ARCHIVE_REPLICAS_REGIONB_STORE_PREFIX", REPLICA_PREFIX);
                archiveEnv.put("ATHANOR_ARCHIVE_REPLICATION_DESTINATIONS", "regionb");
                try (ServiceProcess archive = ArchiveServices.start(a, archiveEnv, archivePort)) {
                    // 1. Region A: the first part is uploaded, archived and replicated to B's bucket.
                    Path logdir = home.resolve("logdir");
                    writePart(logdir, 0, 10, 1_790_000_000L);
                    uploadToA(a, logdir, 1);
                    HttpResponse<byte[]> requested = send("POST", "http://127.0.0.1:" + archivePort
                            + "/api/v1/projects/default/experiments/" + EXPERIMENT + "/replication",
                            "{\"destination\": \"regionb\"}");
                    assertThat(requested.statusCode()).as(new String(requested.body())).isEqualTo(201);
                    JsonNode first = pass(archivePort);
                    assertThat(first.get("archived").asInt()).as(first.toString()).isEqualTo(1);
                    assertThat(replicaKeys(s3b)).as("replicated by the same pass").hasSize(1)
                            .allMatch(k -> k.startsWith(REPLICA_PREFIX + "/default/" + EXPERIMENT + "/train/"));

                    // 2. Region B imports the replica from its own bucket: everything once, then nothing.
                    System.setProperty("aws.accessKeyId", S3ProxyServer.IDENTITY);
                    System.setProperty("aws.secretAccessKey", S3ProxyServer.CREDENTIAL);
                    String[] importArgs = {"import", "--from", "s3://region-b/" + REPLICA_PREFIX + "/default/" + EXPERIMENT,
                        "--endpoint", b.grpcEndpoint(), "--s3-endpoint", s3b.endpoint().toString(), "--s3-path-style",
                        "true", "--s3-region", S3ProxyServer.REGION, "--work-dir", home.resolve("mirror").toString(),
                        "--progress", "QUIET"};
                    long[] imported = importOutcome(Cli.run(importArgs));
                    assertThat(imported[0]).as("objects fetched").isEqualTo(1);
                    assertThat(imported[2]).as("records indexed").isPositive();
                    String exportA1 = exportOf(a);
                    assertThat(awaitExport(b, exportA1.lines().count())).isEqualTo(exportA1);
                    long[] again = importOutcome(Cli.run(importArgs));
                    assertThat(again).as("fetched, already here, new records").containsExactly(0, 1, 0);

                    // 3. More data in A; the next pass replicates only the new segment; B picks it up alone.
                    writePart(logdir, 10, 20, 1_790_000_100L);
                    uploadToA(a, logdir, 2);
                    JsonNode second = pass(archivePort);
                    assertThat(second.get("archived").asInt()).as(second.toString()).isEqualTo(1);
                    assertThat(replicaKeys(s3b)).hasSize(2);
                    long[] incremental = importOutcome(Cli.run(importArgs));
                    assertThat(incremental[0]).as("objects fetched").isEqualTo(1);
                    assertThat(incremental[1]).as("objects already here").isEqualTo(1);
                    assertThat(incremental[2]).as("new records").isPositive().isLessThan(imported[2] + 1);
                    String exportA2 = exportOf(a);
                    byte[] imageA = image(a, 15);
                    assertThat(imageA).hasSize(22);

                    // 4. Region A's store goes away; B serves both passes' scalars and an image itself.
                    s3a.stop();
                    String exportB = awaitExport(b, exportA2.lines().count());
                    assertThat(exportB).isEqualTo(exportA2);
                    assertThat(exportB.lines().filter(l -> l.contains("\"tag\":\"loss\"")).count()).isEqualTo(20);
                    assertThat(image(b, 15)).isEqualTo(imageA);
                    assertThat(image(b, 5)).hasSize(12);

                    // 5. Region B archives what it indexed into its own bucket (beside the replica), and
                    //    then serves the image from there: nothing of region A is reached.
                    long runB = runId(b, "train");
                    JsonNode segmentsB = json(b.restBase() + "/runs/" + runB + "/archive").get("segments");
                    try (ServiceProcess archiveB = ArchiveServices.start(b, storeB, archivePortB)) {
                        JsonNode passB = pass(archivePortB);
                        assertThat(passB.get("archived").asInt()).as(passB.toString()).isEqualTo(segmentsB.size());
                        assertThat(passB.get("hotDeleted").asInt()).as(passB.toString()).isEqualTo(segmentsB.size());
                    }
                    for (JsonNode segment : json(b.restBase() + "/runs/" + runB + "/archive").get("segments")) {
                        assertThat(segment.get("hot").asBoolean()).as(segment.toString()).isFalse();
                    }
                    assertThat(s3b.adminClient().listObjectsV2(r -> r.bucket("region-b").prefix("athanor/default/"
                            + EXPERIMENT + "/train/")).contents()).hasSize(segmentsB.size());
                    assertThat(image(b, 15)).isEqualTo(imageA);
                    assertThat(exportOf(b)).isEqualTo(exportA2);
                }
            }
        } finally {
            restore("aws.accessKeyId", accessKey);
            restore("aws.secretAccessKey", secretKey);
            s3a.stop();
            s3b.stop();
        }
    }

    private static void restore(String property, String value) {
        if (value == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, value);
        }
    }
}
