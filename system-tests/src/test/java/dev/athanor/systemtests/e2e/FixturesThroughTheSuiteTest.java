package dev.athanor.systemtests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.athanor.cli.testing.Cli;
import dev.athanor.cli.testing.UploadedSuite;
import dev.athanor.cli.testing.UploadedSuiteExtension;
import dev.athanor.tfevents.testing.Fixtures;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 3's end-to-end check: every shared fixture event file goes through a real gRPC upload
 * into the real services on real PostgreSQL, and comes back over REST equal to its golden JSON.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(UploadedSuiteExtension.class)
class FixturesThroughTheSuiteTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private UploadedSuite suite;
    private final HttpClient http = HttpClient.newHttpClient();
    private long experimentId;
    /** Run path (relative to the fixtures folder) → run id. */
    private final Map<String, Long> runIds = new HashMap<>();

    /** The shared suite has uploaded the fixtures through the real uploader and waited for the index. */
    @BeforeAll
    void findTheUploadedFixtures(UploadedSuite uploaded) {
        Fixtures.dir();
        suite = uploaded;
        experimentId = suite.experimentId(UploadedSuite.FIXTURES_EXPERIMENT);
        int offset = 0;
        while (true) {
            JsonNode page = json("/runs?experiment=" + experimentId + "&limit=100&offset=" + offset);
            for (JsonNode run : page.get("items")) {
                runIds.put(run.get("path").asText(), run.get("id").asLong());
            }
            if (page.get("nextOffset") == null || page.get("nextOffset").isNull()) {
                break;
            }
            offset = page.get("nextOffset").asInt();
        }
    }

    @Test
    void everyRunOfTheFixturesIsListed() {
        Map<String, Boolean> expected = new TreeMap<>();
        for (Path file : Fixtures.eventFiles()) {
            expected.put(runOf(file), true);
        }
        assertThat(runIds.keySet()).containsAll(expected.keySet());
    }

    @Test
    void everyScalarEqualsTheGoldenSeriesAfterRewinds() throws IOException {
        // A run's files are indexed in name order; a step that goes back replaces the points at
        // steps >= it (a restarted job), as TensorBoard does.
        Map<String, Map<String, List<double[]>>> expected = new TreeMap<>();
        for (Path file : Fixtures.eventFiles()) {
            JsonNode golden = JSON.readTree(Fixtures.golden(file).toFile());
            Map<String, List<double[]>> tags = expected.computeIfAbsent(runOf(file), r -> new TreeMap<>());
            golden.get("tags").fields().forEachRemaining(tag -> {
                JsonNode scalars = tag.getValue().get("scalars");
                if (scalars == null) {
                    return;
                }
                List<double[]> series = tags.computeIfAbsent(tag.getKey(), t -> new ArrayList<>());
                for (JsonNode point : scalars) {
                    long step = point.get(0).asLong();
                    series.removeIf(existing -> existing[0] >= step);
                    series.add(new double[] {step, point.get(1).asDouble(), number(point.get(2))});
                }
            });
        }
        int seriesChecked = 0;
        long pointsChecked = 0;
        for (var run : expected.entrySet()) {
            long runId = runIds.get(run.getKey());
            for (var tag : run.getValue().entrySet()) {
                JsonNode response = json("/scalars?run=" + runId + "&tag="
                        + encode(tag.getKey()) + "&maxPoints=10000");
                JsonNode series = response.get("series").get(0);
                assertThat(series.get("sampling").get("method").asText()).isEqualTo("all");
                JsonNode points = series.get("points");
                List<double[]> want = tag.getValue();
                String where = run.getKey() + " / " + tag.getKey();
                assertThat(points.get("step").size()).as(where).isEqualTo(want.size());
                for (int i = 0; i < want.size(); i++) {
                    assertThat(points.get("step").get(i).asLong()).as(where + " step #" + i).isEqualTo((long) want.get(i)[0]);
                    assertThat(points.get("wallTime").get(i).asDouble()).as(where + " wall time #" + i)
                            .isEqualTo(want.get(i)[1]);
                    assertThat(Double.doubleToLongBits(number(points.get("value").get(i))))
                            .as(where + " value #" + i).isEqualTo(Double.doubleToLongBits(want.get(i)[2]));
                    pointsChecked++;
                }
                seriesChecked++;
            }
        }
        System.out.printf("checked %d scalar series, %d points against the golden JSON%n", seriesChecked, pointsChecked);
        // The Lightning fixture alone holds ~15.7k points; an empty selection must not pass.
        assertThat(seriesChecked).isGreaterThan(100);
        assertThat(pointsChecked).isGreaterThan(15_000);
    }

    @Test
    void histogramsAreReachableWithTheGoldenBucketTotals() throws IOException {
        Path file = Fixtures.file("generated/pytorch/runs/exp1/events.out.tfevents.1795729073.vm.29689.0");
        JsonNode golden = JSON.readTree(Fixtures.golden(file).toFile()).get("tags").get("fc1.weight").get("histograms");
        JsonNode response = json("/runs/" + runIds.get(runOf(file)) + "/histograms?tag=fc1.weight");
        JsonNode points = response.get("points");
        assertThat(points.size()).isEqualTo(golden.size());
        for (int i = 0; i < golden.size(); i++) {
            double total = 0;
            for (JsonNode bucket : points.get(i).get("buckets")) {
                total += bucket.get(2).asDouble();
            }
            assertThat(points.get(i).get("step").asLong()).isEqualTo(golden.get(i).get("step").asLong());
            assertThat(total).isEqualTo(golden.get(i).get("count_sum").asDouble());
        }
    }

    @Test
    void imagesAreServedAsTheWrittenPngsWithTheGoldenSizes() throws IOException {
        Path file = Fixtures.file("alwaysproblem-tensorboard-review/logs/train_data/20200409-142246/"
                + "events.out.tfevents.1586413366.YONGXIdeMacBook-Pro.local.60399.7686.v2");
        JsonNode golden = JSON.readTree(Fixtures.golden(file).toFile()).get("tags").get("Training data").get("images");
        long runId = runIds.get(runOf(file));
        for (JsonNode point : golden) {
            long step = point.get("step").asLong();
            HttpResponse<byte[]> response = getBytes("/runs/" + runId + "/blobs/data?tag="
                    + encode("Training data") + "&step=" + step + "&index=2");
            assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("image/png");
            assertThat((long) response.body().length).isEqualTo(point.get("encoded_byte_lengths").get(0).asLong());
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(response.body()));
            assertThat(image.getWidth()).isEqualTo(point.get("width").asInt());
            assertThat(image.getHeight()).isEqualTo(point.get("height").asInt());
        }
    }

    @Test
    void hparamsOfTheSessionsAreTyped() {
        JsonNode sessions = json("/experiments/" + experimentId + "/hparams/sessions?limit=1000").get("sessions");
        Map<String, JsonNode> byRun = new LinkedHashMap<>();
        for (JsonNode session : sessions.get("items")) {
            byRun.put(session.get("run").asText(), session.get("hparams"));
        }
        JsonNode run1 = byRun.get("generated/tf_summary/hparam_tuning/run-1");
        assertThat(run1).as("sessions: " + byRun.keySet()).isNotNull();
        assertThat(run1.get("learning_rate").asDouble()).isEqualTo(0.01);
        assertThat(run1.get("optimizer").asText()).isEqualTo("sgd");
        assertThat(run1.get("use_batchnorm").isBoolean()).isTrue();
        assertThat(run1.get("use_batchnorm").asBoolean()).isFalse();
    }

    @Test
    void exportedScalarLinesEqualInspectLinesByteForByte() {
        // A run without step rewinds: its exported scalar lines are exactly inspect's (in another order).
        String run = "generated/tensorboardx/runs/tbx_demo";
        Cli.Outcome inspect = Cli.run("inspect", "--format", "jsonl", Fixtures.dir().toString());
        assertThat(inspect.exitCode()).as(inspect.toString()).isZero();
        List<String> inspected = inspect.stdout().lines()
                .filter(line -> line.startsWith("{\"run\":\"" + run + "\",") && line.contains("\"value\":"))
                .sorted().toList();
        String exported = new String(getBytes("/export?experiment=" + experimentId + "&run=" + runIds.get(run)
                + "&plugin=scalars&format=jsonl").body(), StandardCharsets.UTF_8);
        assertThat(inspected).hasSizeGreaterThan(30);
        assertThat(exported.lines().sorted().toList()).containsExactlyElementsOf(inspected);
    }

    private JsonNode json(String apiPath) {
        return suite.get("/api/v1" + apiPath);
    }

    private HttpResponse<byte[]> getBytes(String apiPath) {
        String url = suite.server() + "/api/v1" + apiPath;
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofByteArray());
            assertThat(response.statusCode()).as("GET " + url).isEqualTo(200);
            return response;
        } catch (IOException | InterruptedException e) {
            throw new AssertionError("GET " + url, e);
        }
    }

    /** The run a fixture file belongs to: its directory relative to the fixtures folder. */
    private static String runOf(Path file) {
        String relative = Fixtures.relativeName(file);
        int slash = relative.lastIndexOf('/');
        return slash < 0 ? "." : relative.substring(0, slash);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static double number(JsonNode node) {
        if (node.isTextual()) {
            return switch (node.asText()) {
                case "NaN" -> Double.NaN;
                case "Infinity" -> Double.POSITIVE_INFINITY;
                case "-Infinity" -> Double.NEGATIVE_INFINITY;
                default -> throw new AssertionError("not a number: " + node);
            };
        }
        return node.asDouble();
    }
}
