package dev.athanor.systemtests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.athanor.suite.LocalSuite;
import dev.athanor.suite.ServiceProcess;
import dev.athanor.proto.tensorboard.Event;
import dev.athanor.proto.tensorboard.Summary;
import dev.athanor.tfevents.event.EventFileWriter;
import dev.athanor.uploader.UploadOptions;
import dev.athanor.uploader.UploadResult;
import dev.athanor.uploader.Uploader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A live run's image in the cluster: a query-service started without any hot root (as in
 * Kubernetes, where it cannot mount ingest volumes) serves the image while the segment holding it
 * is still open on the ingest replica, by asking that replica; with the replica gone and nothing
 * archived, it answers 503 RAW_DATA_UNAVAILABLE, never a 500.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LiveBlobFromReplicaTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newHttpClient();
    private Path home;
    private LocalSuite suite;
    private ServiceProcess remoteQuery;
    private int remoteQueryPort;

    @BeforeAll
    void start() throws Exception {
        home = Files.createTempDirectory("athanor-live-blob-");
        Path repo = Path.of("").toAbsolutePath().getParent();
        suite = LocalSuite.start(new LocalSuite.Settings(home, repo, Path.of(System.getProperty("java.home")),
                freePort(), freePort(), freePort(), freePort(), freePort(), Duration.ofMinutes(3)),
                step -> System.out.println("[live-blob] " + step));
        // A second query-service whose hot root is an empty directory: it can only ask the replica.
        Path empty = Files.createDirectories(home.resolve("no-hot-root"));
        Map<String, String> env = new HashMap<>(suite.databaseEnvironment());
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("ATHANOR_QUERY_RAW_HOT_ROOT", empty.toString());
        env.put("ATHANOR_QUERY_DATA_PROVIDER_PORT", Integer.toString(freePort()));
        remoteQueryPort = freePort();
        remoteQuery = ServiceProcess.start("query-service", suite.settings().javaHome(),
                repo.resolve("query-service/target/quarkus-app/quarkus-run.jar"), remoteQueryPort, env,
                home.resolve("logs-remote-query"));
        remoteQuery.awaitReady(Duration.ofMinutes(3));
    }

    @AfterAll
    void stop() throws Exception {
        if (remoteQuery != null) {
            remoteQuery.close();
        }
        if (suite != null) {
            suite.close();
        }
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Test
    void aQueryServiceWithoutAHotRootServesALiveImageFromTheReplicaThatHoldsIt() throws Exception {
        byte[] png = png(7, 5);
        Path logdir = home.resolve("logdir");
        try (EventFileWriter writer = EventFileWriter.create(Files.createDirectories(logdir.resolve("live")))) {
            writer.write(Event.newBuilder().setWallTime(1).setStep(3).setSummary(Summary.newBuilder()
                    .addValue(Summary.Value.newBuilder().setTag("samples").setImage(Summary.Image.newBuilder()
                            .setWidth(7).setHeight(5).setColorspace(3).setEncodedImageString(ByteString.copyFrom(png)))))
                    .build());
        }
        // Not finished: the run's segment stays open on the replica, and nothing is archived.
        UploadResult result = Uploader.run(UploadOptions.builder(logdir, "live-blob", suite.grpcEndpoint())
                .once(true).finishRuns(false).progress(UploadOptions.ProgressMode.QUIET).build());
        assertThat(result.succeeded()).as(result.message()).isTrue();

        long experimentId = JSON.readTree(get(suite.settings().queryPort(), "/api/v1/experiments?name=live-blob").body())
                .get("items").get(0).get("id").asLong();
        JsonNode run = JSON.readTree(get(suite.settings().queryPort(), "/api/v1/runs?experiment=" + experimentId).body())
                .get("items").get(0);
        assertThat(run.get("status").asText()).isEqualToIgnoringCase("running");
        String blob = "/api/v1/runs/" + run.get("id").asLong() + "/blobs/data?tag=samples&step=3&index=2"; // [width, height, PNG]
        HttpResponse<byte[]> served = awaitBlob(remoteQueryPort, blob);

        assertThat(served.statusCode()).as(new String(served.body())).isEqualTo(200);
        assertThat(served.headers().firstValue("content-type").orElse("")).startsWith("image/png");
        assertThat(served.body()).as("the PNG as written").isEqualTo(png);

        // The replica gone (killed, nothing archived): unavailable, said so, not an error of ours.
        suite.killIngest();
        HttpResponse<byte[]> gone = getBytes(remoteQueryPort, blob);
        assertThat(gone.statusCode()).as(new String(gone.body())).isEqualTo(503);
        assertThat(new String(gone.body())).contains("RAW_DATA_UNAVAILABLE");
    }

    /** The index catches up a moment after the ack: wait for the blob's row, then return the answer. */
    private HttpResponse<byte[]> awaitBlob(int port, String path) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        HttpResponse<byte[]> response = getBytes(port, path);
        while (response.statusCode() == 404 && System.nanoTime() < deadline) {
            Thread.sleep(200);
            response = getBytes(port, path);
        }
        return response;
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<byte[]> getBytes(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] png(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < width; x++) {
            for (int y = 0; y < height; y++) {
                image.setRGB(x, y, (x * 36) << 16 | (y * 50) << 8 | 0x80);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
