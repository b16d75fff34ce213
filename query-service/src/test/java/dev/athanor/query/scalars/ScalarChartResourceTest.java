package dev.athanor.query.scalars;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.athanor.query.testing.IndexTestData;
import dev.athanor.query.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.config.DecoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code width}: pixel columns (M4), the compact shape, the shared budget, and compressed answers. */
@Tag("quarkus")
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ScalarChartResourceTest {

    @Inject
    AgroalDataSource dataSource;

    long experiment;
    final List<Long> runs = new ArrayList<>();

    @BeforeEach
    void data() {
        IndexTestData data = new IndexTestData(dataSource);
        experiment = data.experiment(IndexTestData.unique("rest-chart"));
        runs.clear();
        // 40 runs logged at the same steps 0..4999; the last one has a spike and a NaN.
        for (int r = 0; r < 40; r++) {
            double[] values = new double[5000];
            for (int i = 0; i < values.length; i++) {
                values[i] = (float) (1.0 / (1 + i / 500.0) + r * 0.01 + (i % 7) * 0.001);
            }
            if (r == 39) {
                values[3333] = 77.0;
                values[4001] = Double.NaN; // inside a column (not its first or last point) at 32 columns
            }
            long run = data.run(experiment, String.format("run-%02d", r));
            data.scalarSeries(run, "loss", values, 1000);
            runs.add(run);
        }
    }

    private String runList(int n) {
        return String.join(",", runs.subList(0, n).stream().map(String::valueOf).toList());
    }

    @Test
    void widthAnswersM4ColumnsInTheCompactShape() {
        String body = given().queryParam("run", runList(2)).queryParam("tag", "loss").queryParam("width", 500)
                .get("/api/v1/scalars").then().statusCode(200).extract().asString();
        JsonPath json = JsonPath.from(body);
        assertThat(json.getString("chart.format")).isEqualTo("m4");
        assertThat(json.getInt("chart.width")).isEqualTo(500);
        assertThat(json.getInt("chart.bucketsPerSeries")).as("2 lines fit the width").isEqualTo(500);
        assertThat(json.getList("series.run")).containsExactly("run-00", "run-01");
        List<Integer> buckets = json.getList("series[0].buckets", Integer.class);
        List<Object> y = json.getList("series[0].y");
        assertThat(buckets).hasSize(500);
        assertThat(buckets.stream().mapToInt(Integer::intValue).sum()).isEqualTo(y.size());
        assertThat(json.getList("series[0].mean")).hasSize(500);
        assertThat(json.getLong("series[0].pointsInRange")).isEqualTo(5000);
        // Float32 values go out in their shortest form, not as 17-digit doubles.
        assertThat(json.getString("series[0].y[0]")).isEqualTo("1");
        assertThat(body).doesNotContainPattern("\\d\\.\\d{10,}");
        List<Integer> x = json.getList("xs[" + json.getInt("series[0].x") + "]", Integer.class);
        assertThat(x).hasSize(y.size());
        assertThat(x.get(x.size() - 1)).as("the last point is always there").isEqualTo(4999);
        assertThat(json.getMap("series[0]")).doesNotContainKeys("step", "points", "sampling");
    }

    @Test
    void manyLinesShareTheBudgetKeepTheSpikeAndShareTheirX() {
        JsonPath json = given().contentType(ContentType.JSON)
                .body("{\"experiment\": " + experiment + ", \"tags\": [\"loss\", \"acc\"], \"width\": 100}")
                .post("/api/v1/scalars").then().statusCode(200).extract().jsonPath();
        // 40 lines × 100 px: 100 × 10 lines per column / 40 = 25, raised to the 32-column floor.
        assertThat(json.getInt("chart.seriesPerChart")).isEqualTo(40);
        assertThat(json.getInt("chart.bucketsPerSeries")).isEqualTo(32);
        assertThat(json.getList("series")).hasSize(40);
        assertThat(json.getList("missing.tag")).hasSize(40).containsOnly("acc");
        assertThat(json.getList("series[39].y")).contains(77).doesNotContain("NaN");
        assertThat(json.getList("series[39].buckets", Integer.class)).hasSize(32);
        // Smooth lines whose extremes fall at the same steps name one shared x column.
        assertThat(json.getInt("series[1].x")).isEqualTo(json.getInt("series[0].x"));
        assertThat(json.getList("xs").size()).isLessThan(40);
    }

    @Test
    void nonFinitePointsAreKeptAsAColumnsFirstOrLastPoint() {
        JsonPath json = given().queryParam("run", runs.get(39)).queryParam("tag", "loss").queryParam("width", 10)
                .queryParam("stepMin", 3990).queryParam("stepMax", 4001).get("/api/v1/scalars")
                .then().statusCode(200).extract().jsonPath();
        assertThat(json.getList("series[0].y")).last().isEqualTo("NaN");
    }

    @Test
    void wallTimeGivesStepsBeside() {
        JsonPath json = given().queryParam("run", runList(1)).queryParam("tag", "loss").queryParam("width", 50)
                .queryParam("x", "wall_time").queryParam("stepMin", 100).queryParam("stepMax", 199)
                .get("/api/v1/scalars").then().statusCode(200).extract().jsonPath();
        assertThat(json.getString("chart.x")).isEqualTo("wall_time");
        assertThat(json.getList("xs[" + json.getInt("series[0].step") + "]", Integer.class)).startsWith(100).endsWith(199);
        assertThat(json.getList("xs[" + json.getInt("series[0].x") + "]", Float.class)).startsWith(1100f).endsWith(1199f);
    }

    @Test
    void badWidthIs400NamingIt() {
        for (String bad : List.of("0", "-5", "10001", "99999999999", "wide", "1.5")) {
            given().queryParam("run", runList(1)).queryParam("width", bad).get("/api/v1/scalars").then().statusCode(400)
                    .body("where", equalTo("width")).body("message", containsString("width"));
        }
        given().queryParam("run", runList(1)).queryParam("width", 100).queryParam("maxPoints", 100).get("/api/v1/scalars")
                .then().statusCode(400).body("where", equalTo("maxPoints"));
        given().queryParam("run", runList(1)).queryParam("width", 100).queryParam("groupBy", "status").get("/api/v1/scalars")
                .then().statusCode(400).body("where", equalTo("width"));
        given().contentType(ContentType.JSON).body("{\"runs\": [" + runs.get(0) + "], \"width\": \"wide\"}")
                .post("/api/v1/scalars").then().statusCode(400).body("where", equalTo("body.width"));
        given().contentType(ContentType.JSON).body("{\"runs\": [" + runs.get(0) + "], \"width\": -1}")
                .post("/api/v1/scalars").then().statusCode(400).body("where", equalTo("width"));
    }

    @Test
    void jsonAndExportsAreCompressedWhenAskedBrotliFirst() {
        String url = "/api/v1/scalars?run=" + runList(40) + "&tag=loss&width=1000";
        RestAssuredConfig raw = RestAssuredConfig.config().decoderConfig(DecoderConfig.decoderConfig().noContentDecoders());
        Response plain = given().config(raw).header("Accept-Encoding", "identity").get(url);
        Response gzip = given().config(raw).header("Accept-Encoding", "gzip").get(url);
        Response br = given().config(raw).header("Accept-Encoding", "gzip, deflate, br").get(url);
        assertThat(plain.header("Content-Encoding")).isNull();
        assertThat(gzip.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(br.header("Content-Encoding")).isEqualTo("br");
        assertThat(gzip.asByteArray().length).isLessThan(plain.asByteArray().length / 2);
        assertThat(br.asByteArray().length).isLessThan(plain.asByteArray().length / 2);
        // Decoded, the compressed answer is the same JSON.
        assertThat(given().header("Accept-Encoding", "gzip").get(url).asString()).isEqualTo(plain.asString());

        Response export = given().config(raw).header("Accept-Encoding", "gzip")
                .get("/api/v1/export?experiment=" + experiment + "&format=csv");
        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.header("Content-Encoding")).isEqualTo("gzip");
        assertThat(given().header("Accept-Encoding", "gzip").get("/api/v1/export?experiment=" + experiment + "&format=csv")
                .asString()).startsWith("run,tag,step,wall_time,plugin,value").contains("run-39,loss,4999,");
    }
}
