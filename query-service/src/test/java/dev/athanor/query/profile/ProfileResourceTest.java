package dev.athanor.query.profile;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;

import dev.athanor.profile.Traces;
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
import org.junit.jupiter.api.Test;

/** The profile endpoints over real traces (athanor-profile's test resources) stored as run assets. */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ProfileResourceTest {

    static final String TF_SESSION = "2026_12_06_10_46_17";
    static final String TORCH_SESSION = "vm_27516.1796553923108403786";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    QueryConfig config;

    long run;

    @BeforeEach
    void data() throws Exception {
        IndexTestData data = new IndexTestData(dataSource);
        String experimentName = IndexTestData.unique("rest-profiles");
        run = data.run(data.experiment(experimentName), "train");
        String runDir = "default/" + experimentName + "/train";
        byte[] xplane = Traces.bytes("tf/vm.xplane.pb");
        store(runDir, "plugins/profile/" + TF_SESSION + "/vm.xplane.pb", xplane);
        store(runDir, "plugins/profile/" + TF_SESSION + "/broken.xplane.pb", Arrays.copyOf(xplane, 5000));
        store(runDir, "plugins/profile/" + TF_SESSION + "/vm.memory_profile.json.gz", new byte[] {31, -117});
        store(runDir, "plugins/profile/" + TORCH_SESSION + ".pt.trace.json.gz", Traces.bytes("torch/vm.pt.trace.json.gz"));
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

    @Test
    void unknownSessionsAndHostsAre404() {
        given().get(url("nope", "steps")).then().statusCode(404).body("where", equalTo("session"));
        given().queryParam("host", "other").get("/api/v1/runs/" + run + "/profiles/" + TF_SESSION + "/steps").then().statusCode(404).body("where", equalTo("host"));
        given().get("/api/v1/runs/999999999/profiles").then().statusCode(404).body("where", equalTo("runId"));
    }
}
