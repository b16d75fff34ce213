package dev.athanor.query.assets;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.athanor.query.config.QueryConfig;
import dev.athanor.query.testing.IndexTestData;
import dev.athanor.query.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("quarkus")
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class AssetResourceTest {

    private static final String TRACE = "plugins/profile/2026_11_27_00_00_00/host name.xplane.pb";
    private static final String GZ = "plugins/profile/2026_11_27_00_00_00/host.trace.json.gz";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    QueryConfig config;

    long run;
    String runDir;
    byte[] trace;
    String traceSha;

    @BeforeEach
    void data() throws Exception {
        IndexTestData data = new IndexTestData(dataSource);
        String experimentName = IndexTestData.unique("rest-assets");
        long experiment = data.experiment(experimentName);
        run = data.run(experiment, "train");
        runDir = "default/" + experimentName + "/train";
        trace = new byte[200_000];
        new Random(1).nextBytes(trace);
        traceSha = AssetRows.store(data, config.raw().hotRoot(), run, runDir, TRACE, trace);
        AssetRows.store(data, config.raw().hotRoot(), run, runDir, GZ, new byte[] {31, -117, 8, 0});
        AssetRows.store(data, config.raw().hotRoot(), run, runDir, "plugins/projector/projector_config.pbtxt",
                "embeddings {}".getBytes());
    }

    @Test
    void listsTheProfileFilesInTheShapeTheUiReads() {
        Response response = given().queryParam("prefix", "plugins/profile/")
                .get("/api/v1/runs/" + run + "/assets")
                .then().statusCode(200)
                .body("items.path", contains(TRACE, GZ))
                .body("items[0].size", equalTo(200_000))
                .body("items[0].sha256", equalTo(traceSha))
                .body("total", equalTo(2))
                .extract().response();
        Map<String, Object> item = response.jsonPath().getMap("items[0]");
        assertThat(item).containsOnlyKeys("path", "size", "sha256", "downloadUrl");
        String url = (String) item.get("downloadUrl");
        assertThat(url).isEqualTo("/api/v1/runs/" + run
                + "/assets/data?path=plugins%2Fprofile%2F2026_11_27_00_00_00%2Fhost%20name.xplane.pb");

        byte[] body = given().urlEncodingEnabled(false).get(url).then().statusCode(200)
                .header("Content-Type", "application/x-protobuf")
                .header("Content-Length", "200000")
                .header("Accept-Ranges", "bytes")
                .header("ETag", "\"" + traceSha + "\"")
                .header("Content-Disposition",
                        "attachment; filename=\"host name.xplane.pb\"; filename*=UTF-8''host%20name.xplane.pb")
                .extract().asByteArray();
        assertThat(body).isEqualTo(trace);
        given().get("/api/v1/runs/" + run + "/assets").then().statusCode(200).body("total", equalTo(3));
    }

    @Test
    void servesRanges() {
        byte[] part = given().queryParam("path", TRACE).header("Range", "bytes=1000-1999")
                .get("/api/v1/runs/" + run + "/assets/data")
                .then().statusCode(206)
                .header("Content-Range", "bytes 1000-1999/200000")
                .header("Content-Length", "1000")
                .extract().asByteArray();
        assertThat(part).isEqualTo(Arrays.copyOfRange(trace, 1000, 2000));
        byte[] tail = given().queryParam("path", TRACE).header("Range", "bytes=-10")
                .get("/api/v1/runs/" + run + "/assets/data").then().statusCode(206)
                .header("Content-Range", "bytes 199990-199999/200000").extract().asByteArray();
        assertThat(tail).isEqualTo(Arrays.copyOfRange(trace, 199_990, 200_000));
        given().queryParam("path", TRACE).header("Range", "bytes=200000-")
                .get("/api/v1/runs/" + run + "/assets/data").then().statusCode(416)
                .header("Content-Range", "bytes */200000");
    }

    @Test
    void gzipTracesAreServedAsTheFilesTheyAre() {
        given().queryParam("path", GZ).get("/api/v1/runs/" + run + "/assets/data").then().statusCode(200)
                .header("Content-Type", "application/gzip")
                .header("Content-Encoding", (String) null);
    }

    @Test
    void unknownRunsAndPathsAre404AndAMissingPathIs400() {
        given().get("/api/v1/runs/999999999/assets").then().statusCode(404).body("where", equalTo("runId"));
        given().queryParam("path", "plugins/profile/nope.pb").get("/api/v1/runs/" + run + "/assets/data")
                .then().statusCode(404).body("message", containsString("no stored asset 'plugins/profile/nope.pb'"));
        given().get("/api/v1/runs/" + run + "/assets/data").then().statusCode(400).body("where", equalTo("path"));
    }

    @Test
    void aFileThatIsGoneOrDifferentIsNeverServed() throws Exception {
        Path gz = config.raw().hotRoot().resolve(runDir).resolve(GZ);
        Files.write(gz, new byte[] {1, 2, 3});
        given().queryParam("path", GZ).get("/api/v1/runs/" + run + "/assets/data").then().statusCode(500)
                .body("error", equalTo("RAW_DATA_CORRUPT"));
        Files.delete(gz);
        given().queryParam("path", GZ).get("/api/v1/runs/" + run + "/assets/data").then().statusCode(503)
                .body("error", equalTo("RAW_DATA_UNAVAILABLE"));
    }
}
