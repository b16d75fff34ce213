package dev.athanor.query.scalars;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.athanor.query.testing.IndexTestData;
import dev.athanor.query.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("quarkus")
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ScalarResourceTest {

    @Inject
    AgroalDataSource dataSource;

    long experiment;
    long train;
    long eval;

    @BeforeEach
    void data() {
        IndexTestData data = new IndexTestData(dataSource);
        experiment = data.experiment(IndexTestData.unique("rest-scalars"));
        train = data.run(experiment, "train");
        eval = data.run(experiment, "eval");
        data.scalarSeries(train, "loss", new double[] {2.0, Double.NaN, Double.POSITIVE_INFINITY, 0.5}, 2);
        double[] big = new double[50_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = i % 10;
        }
        big[31_337] = 1e6;
        data.scalarSeries(eval, "loss", big, 100);
    }

    @Test
    void smallSeriesIsExactWithNonFiniteValuesAsStrings() {
        given().queryParam("run", train).queryParam("tag", "loss").get("/api/v1/scalars")
                .then().statusCode(200)
                .body("series", hasSize(1))
                .body("series[0].run", equalTo("train"))
                .body("series[0].sampling.method", equalTo("all"))
                .body("series[0].sampling.maxPoints", equalTo(1000))
                .body("series[0].points.step", contains(0, 1, 2, 3))
                .body("series[0].points.value", contains(2.0f, "NaN", "Infinity", 0.5f))
                .body("missing", hasSize(0));
    }

    @Test
    void manyRunsWithMaxPointsKeepTheSpikeAndReportMissing() {
        String body = given().queryParam("run", train + "," + eval).queryParam("tag", "loss").queryParam("tag", "acc")
                .queryParam("maxPoints", 200).get("/api/v1/scalars")
                .then().statusCode(200).extract().asString();
        JsonPath json = JsonPath.from(body);
        assertThat(json.getList("series.run")).containsExactly("eval", "train");
        assertThat(json.getString("series[0].sampling.method")).isEqualTo("buckets");
        List<Integer> counts = json.getList("series[0].points.count", Integer.class);
        assertThat(counts.size()).isLessThanOrEqualTo(200);
        assertThat(counts.stream().mapToInt(Integer::intValue).sum()).isEqualTo(50_000);
        assertThat(json.getList("series[0].points.max", Float.class)).contains(1e6f);
        assertThat(json.getList("missing.tag")).containsExactly("acc", "acc");
    }

    @Test
    void postWithExperimentFilterAndZoomRange() {
        given().contentType(ContentType.JSON)
                .body("{\"experiment\": " + experiment + ", \"filter\": \"name = 'eval'\", \"tags\": [\"loss\"],"
                        + " \"maxPoints\": 1000, \"stepMin\": 100, \"stepMax\": 199, \"x\": \"wall_time\"}")
                .post("/api/v1/scalars")
                .then().statusCode(200)
                .body("series[0].sampling.method", equalTo("all"))
                .body("series[0].sampling.x", equalTo("wall_time"))
                .body("series[0].points.step", hasSize(100))
                .body("series[0].points.x[0]", equalTo(1100.0f));
    }

    @Test
    void badInputIs400NamingTheParameter() {
        given().queryParam("run", train).queryParam("maxPoints", 0).get("/api/v1/scalars").then().statusCode(400)
                .body("where", equalTo("maxPoints"));
        given().queryParam("run", train).queryParam("maxPoints", 1_000_000).get("/api/v1/scalars").then().statusCode(400)
                .body("where", equalTo("maxPoints"));
        given().queryParam("run", train).queryParam("maxPoints", "many").get("/api/v1/scalars").then().statusCode(400)
                .body("where", equalTo("maxPoints"));
        given().queryParam("run", "x1").get("/api/v1/scalars").then().statusCode(400).body("where", equalTo("run"));
        given().queryParam("run", train).queryParam("x", "epoch").get("/api/v1/scalars").then().statusCode(400)
                .body("where", equalTo("x"));
        given().queryParam("run", train).queryParam("stepMin", 10).queryParam("stepMax", 5).get("/api/v1/scalars")
                .then().statusCode(400).body("where", equalTo("stepMin"));
        given().get("/api/v1/scalars").then().statusCode(400).body("where", equalTo("selection"));
        given().queryParam("run", 99_999_999).get("/api/v1/scalars").then().statusCode(404)
                .body("message", containsString("99999999"));
        given().contentType(ContentType.JSON).body("{\"runs\": [" + train + "], \"maxpoints\": 5}")
                .post("/api/v1/scalars").then().statusCode(400)
                .body("where", equalTo("body.maxpoints"));
        given().contentType(ContentType.JSON).body("{\"runs\": [\"abc\"]}")
                .post("/api/v1/scalars").then().statusCode(400)
                .body("where", equalTo("body.runs[0]"));
        given().contentType(ContentType.JSON).body("{\"runs\": [1,").post("/api/v1/scalars").then().statusCode(400)
                .body("message", containsString("not valid"));
    }
}
