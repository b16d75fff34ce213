package dev.athanor.query.profile;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import dev.athanor.profile.Traces;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import dev.athanor.query.assets.AssetRows;
import dev.athanor.query.config.QueryConfig;
import dev.athanor.query.testing.IndexTestData;
import dev.athanor.query.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The profile endpoints over real traces (athanor-profile's test resources) stored as run assets. */
@Tag("quarkus")
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ProfileResourceTest {

    static final String TF_SESSION = "2026_12_06_10_46_17";
    /** PyTorch's trace as tensorboard_trace_handler names it, right in the run directory: session = its timestamp. */
    static final String TORCH_FILE = "vm_27516.1796553923108403786.pt.trace.json.gz";
    static final String TORCH_SESSION = "1796553923108403786";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    QueryConfig config;

    long run;
    long otherRun;
    String runDir;

    @BeforeEach
    void data() throws Exception {
        IndexTestData data = new IndexTestData(dataSource);
        String experimentName = IndexTestData.unique("rest-profiles");
        long experiment = data.experiment(experimentName);
        run = data.run(experiment, "train");
        otherRun = data.run(experiment, "resnet");
        runDir = "default/" + experimentName + "/train";
        byte[] xplane = Traces.bytes("tf/vm.xplane.pb");
        store(runDir, "plugins/profile/" + TF_SESSION + "/vm.xplane.pb", xplane);
        store(runDir, "plugins/profile/" + TF_SESSION + "/broken.xplane.pb", Arrays.copyOf(xplane, 5000));
        store(runDir, "plugins/profile/" + TF_SESSION + "/vm.memory_profile.json.gz", new byte[] {31, -117});
        store(runDir, TORCH_FILE, Traces.bytes("torch/vm.pt.trace.json.gz"));
        store(runDir, "plugins/projector/projector_config.pbtxt", new byte[] {1}); // another plugin's: not a profile
        AssetRows.store(data, config.raw().hotRoot(), otherRun, "default/" + experimentName + "/resnet",
                "worker1.1796553999000000000.pt.trace.json.gz", Traces.bytes("torch/vm.pt.trace.json.gz"));
        // The small traces are decoded before the tests look: on a loaded machine their decode can
        // outlast answer-within (1 s), and a 202 then is right but not what these tests are about.
        for (String steps : List.of(url(TORCH_SESSION, "steps"), url(TF_SESSION, "steps"),
                "/api/v1/runs/" + otherRun + "/profiles/1796553999000000000/steps")) {
            awaitDecoded(steps);
        }
    }

    /** Asks again while the answer is 202 (a decode in progress), as Retry-After says, for up to a minute. */
    private static void awaitDecoded(String path) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (given().get(path).statusCode() == 202) {
            assertThat(System.nanoTime()).as("%s decoded within a minute", path).isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private void store(String runDir, String path, byte[] content) throws Exception {
        AssetRows.store(new IndexTestData(dataSource), config.raw().hotRoot(), run, runDir, path, content);
    }

    private String url(String session, String what) {
        return "/api/v1/runs/" + run + "/profiles/" + session + "/" + what + (session.equals(TF_SESSION) ? "?host=vm" : "");
    }

    @Test
    void sessionsListEveryFileByHostWithItsFormat() {
        JsonPath json = given().get("/api/v1/runs/" + run + "/profiles").then().statusCode(200).extract().jsonPath();
        assertThat(json.getList("items.session")).containsExactly(TF_SESSION, TORCH_SESSION);
        assertThat(json.getList("items[0].files.host")).containsExactly("broken", "vm.memory_profile.json.gz", "vm");
        assertThat(json.getList("items[0].files.format")).containsExactly("xplane", null, "xplane");
        assertThat(json.getList("items[1].files.format")).containsExactly("pytorch_trace");
        assertThat(json.getList("items[1].files.host")).containsExactly("vm_27516");
        assertThat(json.getList("items[1].files.path")).containsExactly(TORCH_FILE);
        assertThat(json.getString("items[0].startedAt")).isEqualTo("2026-12-06T10:46:17Z");
        assertThat(json.getString("items[1].startedAt")).isEqualTo("2026-12-06T10:45:23.108403786Z");
        assertThat(json.getString("items[1].files[0].downloadUrl")).startsWith("/api/v1/runs/" + run + "/assets/data?path=");
    }

    @Test
    void stepsOfBothFrameworksAddUpToTheirDurations() {
        for (String[] c : List.of(new String[] {TORCH_SESSION}, new String[] {TF_SESSION})) {
            JsonPath json = given().get(url(c[0], "steps"))
                    .then().statusCode(200).body("steps", hasSize(3)).extract().jsonPath();
            for (int i = 0; i < 3; i++) {
                long sum = 0;
                for (String part : List.of("deviceCompute", "memcpyComm", "input", "hostCompute", "other", "idle")) {
                    sum += json.getLong("steps[" + i + "]." + part);
                }
                assertThat(sum).isEqualTo(json.getLong("steps[" + i + "].durationNs"));
            }
        }
        // without a host: the session's first trace by path
        given().get("/api/v1/runs/" + run + "/profiles/" + TF_SESSION + "/steps").then().statusCode(422).body("message", containsString("broken.xplane.pb"));
    }

    @Test
    void opsAreSortedFilteredAndShared() {
        given().get(url(TORCH_SESSION, "ops")).then().statusCode(200)
                .body("items[0].name", equalTo("aten::mm"))
                .body("items[0].side", equalTo("host"))
                .body("items[0].type", equalTo("cpu_op"))
                .body("items[0].share", greaterThan(0.3f))
                .body("deviceSelfNs", equalTo(0));
        given().queryParam("search", "ADDMM").queryParam("sort", "name").get(url(TORCH_SESSION, "ops")).then()
                .statusCode(200).body("items.name", everyItem(containsString("ddmm")))
                .body("items[0].name", equalTo("AddmmBackward0"));
        given().queryParam("side", "device").get(url(TORCH_SESSION, "ops")).then().statusCode(200).body("items", hasSize(0));
        given().queryParam("limit", 2).get(url(TF_SESSION, "ops")).then().statusCode(200).body("items", hasSize(2))
                .body("matched", greaterThan(20));
        given().queryParam("sort", "speed").get(url(TF_SESSION, "ops")).then().statusCode(400).body("where", equalTo("sort"));
        given().queryParam("side", "gpu").get(url(TF_SESSION, "ops")).then().statusCode(400).body("where", equalTo("side"));
    }

    @Test
    void aTimelineWindowHasLanesNamesAndEvents() {
        JsonPath whole = given().queryParam("width", 800).get(url(TF_SESSION, "timeline")).then().statusCode(200)
                .extract().jsonPath();
        long span = whole.getLong("spanNs");
        assertThat(whole.getList("lanes.name", String.class)).contains("/host:CPU · python");
        List<List<Number>> events = whole.getList("events");
        assertThat(events).isNotEmpty().allSatisfy(e -> assertThat(e).hasSize(6));
        assertThat(whole.getList("names.name", String.class)).contains("Profiled batch");
        JsonPath narrow = given().queryParam("start", span / 2).queryParam("end", span / 2 + span / 100)
                .get(url(TF_SESSION, "timeline")).then().statusCode(200).extract().jsonPath();
        assertThat(narrow.getLong("resolutionNs")).isLessThan(whole.getLong("resolutionNs"));
        given().queryParam("start", 10).queryParam("end", 5).get(url(TF_SESSION, "timeline")).then().statusCode(400)
                .body("where", equalTo("end"));
        given().queryParam("width", 0).get(url(TF_SESSION, "timeline")).then().statusCode(400).body("where", equalTo("width"));
        given().queryParam("start", "soon").get(url(TF_SESSION, "timeline")).then().statusCode(400).body("where", equalTo("start"));
    }

    @Test
    void memoryOfThePytorchTrace() {
        given().queryParam("maxPoints", 10).get(url(TORCH_SESSION, "memory")).then().statusCode(200)
                .body("series[0].name", equalTo("CPU"))
                .body("series[0].points.size()", greaterThan(1))
                .body("series[0].peakBytes", greaterThan(0));
    }

    @Test
    void aDamagedTraceIs422NamingTheFileAndTheRestStillAnswers() {
        String broken = "/api/v1/runs/" + run + "/profiles/" + TF_SESSION + "/";
        given().queryParam("host", "broken").get(broken + "steps").then().statusCode(422)
                .body("error", equalTo("PROFILE_UNREADABLE"))
                .body("message", startsWith("plugins/profile/" + TF_SESSION + "/broken.xplane.pb: not a readable XSpace"))
                .body("message", containsString("byte"));
        given().queryParam("host", "broken").get(broken + "ops").then().statusCode(422);
        given().queryParam("host", "vm").get(broken + "ops").then().statusCode(200);
    }

    private String compare(String session) {
        return "/api/v1/runs/" + run + "/profiles/" + session + "/compare";
    }

    @Test
    void compareJoinsTheOpsOfTwoTracesWithTheChange() {
        JsonPath a = given().queryParam("limit", 10000).get(url(TORCH_SESSION, "ops")).then().statusCode(200)
                .extract().jsonPath();
        JsonPath b = given().queryParam("limit", 10000).get(url(TF_SESSION, "ops")).then().statusCode(200)
                .extract().jsonPath();
        JsonPath c = given().queryParam("withSession", TF_SESSION).queryParam("withHost", "vm")
                .queryParam("limit", 10000).get(compare(TORCH_SESSION)).then().statusCode(200).extract().jsonPath();
        assertThat(c.getString("a.host")).isEqualTo("vm_27516");
        assertThat(c.getString("b.path")).isEqualTo("plugins/profile/" + TF_SESSION + "/vm.xplane.pb");
        assertThat(c.getInt("matched")).isEqualTo(a.getInt("matched") + b.getInt("matched")); // nothing in common
        assertThat(c.getLong("hostSelfNsA")).isEqualTo(a.getLong("hostSelfNs"));
        assertThat(c.getLong("hostSelfNsB")).isEqualTo(b.getLong("hostSelfNs"));
        List<Long> deltas = c.getList("items.deltaSelfNs", Long.class);
        List<Long> selfA = c.getList("items.selfNsA", Long.class);
        List<Long> selfB = c.getList("items.selfNsB", Long.class);
        long sum = 0;
        for (int i = 0; i < deltas.size(); i++) {
            assertThat(deltas.get(i)).isEqualTo(selfB.get(i) - selfA.get(i));
            if (i > 0) {
                assertThat(Math.abs(deltas.get(i))).as("largest change first").isLessThanOrEqualTo(Math.abs(deltas.get(i - 1)));
            }
            sum += deltas.get(i);
        }
        assertThat(sum).isEqualTo(b.getLong("hostSelfNs") + b.getLong("deviceSelfNs") - a.getLong("hostSelfNs")
                - a.getLong("deviceSelfNs"));
        String top = a.getString("items[0].name");
        List<Map<String, Object>> mm = c.getList("items.findAll { it.name == '" + top + "' }");
        assertThat(mm).singleElement().satisfies(row -> {
            assertThat(((Number) row.get("selfNsA")).longValue()).isEqualTo(a.getLong("items[0].selfNs"));
            assertThat(((Number) row.get("selfNsB")).longValue()).isZero();
            assertThat(row.get("ratio")).isEqualTo(0.0f);
        });
    }

    @Test
    void compareAcrossRunsPerStep() {
        JsonPath ops = given().queryParam("limit", 10000).get(url(TORCH_SESSION, "ops")).then().statusCode(200)
                .extract().jsonPath();
        JsonPath c = given().queryParam("withRun", otherRun).queryParam("withSession", "1796553999000000000")
                .queryParam("per", "step").queryParam("search", "aten::").queryParam("limit", 10000)
                .get(compare(TORCH_SESSION)).then().statusCode(200).extract().jsonPath();
        assertThat(c.getString("b.host")).isEqualTo("worker1");
        assertThat(c.getInt("stepsA")).isEqualTo(3);
        assertThat(c.getInt("stepsB")).isEqualTo(3);
        // the same trace content on both sides: nothing changed, every op in both
        assertThat(c.getList("items.deltaSelfNs", Long.class)).isNotEmpty().allSatisfy(d -> assertThat(d).isZero());
        assertThat(c.getList("items.name", String.class)).allSatisfy(n -> assertThat(n).containsIgnoringCase("aten::"));
        String top = ops.getString("items[0].name");
        Map<String, Object> row = c.getMap("items.find { it.name == '" + top + "' }");
        assertThat(((Number) row.get("selfNsA")).longValue()).isEqualTo(Math.round(ops.getLong("items[0].selfNs") / 3.0));
        assertThat(((Number) row.get("countA")).doubleValue()).isEqualTo(ops.getLong("items[0].count") / 3.0, within(1e-3));
        assertThat(row.get("ratio")).isEqualTo(1.0f);
    }

    @Test
    void compareRefusesBadInputNamingIt() {
        given().get(compare(TORCH_SESSION)).then().statusCode(400).body("where", equalTo("withSession"));
        given().queryParam("withSession", TF_SESSION).queryParam("withHost", "vm").queryParam("per", "epoch")
                .get(compare(TORCH_SESSION)).then().statusCode(400).body("where", equalTo("per"));
        given().queryParam("withSession", TF_SESSION).queryParam("withHost", "vm").queryParam("sort", "fast")
                .get(compare(TORCH_SESSION)).then().statusCode(400).body("where", equalTo("sort"));
        given().queryParam("withSession", "nope").get(compare(TORCH_SESSION)).then().statusCode(404)
                .body("where", equalTo("session"));
        given().queryParam("withSession", TORCH_SESSION).queryParam("withRun", 999999999).get(compare(TORCH_SESSION))
                .then().statusCode(404).body("where", equalTo("runId"));
    }

    @Test
    void unknownSessionsAndHostsAre404() {
        given().get(url("nope", "steps")).then().statusCode(404).body("where", equalTo("session"));
        given().queryParam("host", "other").get("/api/v1/runs/" + run + "/profiles/" + TF_SESSION + "/steps").then().statusCode(404).body("where", equalTo("host"));
        given().get("/api/v1/runs/999999999/profiles").then().statusCode(404).body("where", equalTo("runId"));
    }
}
