package dev.athanor.query.checks;

import static io.restassured.RestAssured.given;
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
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("quarkus")
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class CheckResourceTest {

    @Inject
    AgroalDataSource dataSource;

    long experiment;
    long good;

    @BeforeEach
    void data() {
        IndexTestData data = new IndexTestData(dataSource);
        experiment = data.experiment(IndexTestData.unique("rest-checks"));
        good = data.run(experiment, "good");
        long bad = data.run(experiment, "bad");
        data.scalarSeries(good, "val_accuracy", new double[] {0.5, 0.95}, 2);
        data.scalarSeries(good, "loss", new double[] {1, 0.5}, 2);
        data.scalarSeries(bad, "val_accuracy", new double[] {0.5, 0.95}, 2);
        data.scalarSeries(bad, "loss", new double[] {1, Double.NaN, 0.5}, 2);
    }

    private static String body(String selection, String... assertions) {
        StringBuilder json = new StringBuilder("{").append(selection).append(", \"assertions\": [");
        for (int i = 0; i < assertions.length; i++) {
            json.append(i == 0 ? "" : ", ").append('"').append(assertions[i].replace("\"", "\\\"")).append('"');
        }
        return json.append("]}").toString();
    }

    @Test
    void passesWhenEveryAssertionHoldsForEveryRun() {
        given().contentType(ContentType.JSON)
                .body(body("\"runs\": [" + good + "]", "metrics.val_accuracy@last >= 0.9", "no nan in metrics.loss"))
                .post("/api/v1/checks").then().statusCode(200)
                .body("passed", equalTo(true))
                .body("assertions.passed", contains(true, true))
                .body("assertions[0].results[0].values.'metrics.val_accuracy@last'", equalTo(0.95f));
    }

    @Test
    void failsWithTheValuesSeen() {
        given().contentType(ContentType.JSON)
                .body(body("\"experiment\": " + experiment, "metrics.val_accuracy@last >= 0.9", "no nan in metrics.loss"))
                .post("/api/v1/checks").then().statusCode(200)
                .body("passed", equalTo(false))
                .body("message", containsString("1 of 2 assertions failed"))
                .body("runs.run", contains("bad", "good"))
                .body("assertions[1].passed", equalTo(false))
                .body("assertions[1].failedRuns", equalTo(1))
                .body("assertions[1].results[0].values.'nan_count(metrics.loss)'", equalTo(1))
                .body("assertions[1].results[0].values.'first_nan_step(metrics.loss)'", equalTo(1));
    }

    @Test
    void anEmptySelectionNeverPasses() {
        given().contentType(ContentType.JSON)
                .body(body("\"experiment\": " + experiment + ", \"filter\": \"name = 'none'\"", "metrics.loss < 1"))
                .post("/api/v1/checks").then().statusCode(200)
                .body("passed", equalTo(false)).body("message", containsString("matched no runs"))
                .body("assertions", hasSize(0));
    }

    @Test
    void badAssertionsAre400WithTheirIndex() {
        given().contentType(ContentType.JSON).body(body("\"runs\": [" + good + "]", "metrics.loss < 1", "metrics.loss <"))
                .post("/api/v1/checks").then().statusCode(400)
                .body("where", equalTo("assertions[1]")).body("column", equalTo(15));
        given().contentType(ContentType.JSON).body("{\"runs\": [" + good + "], \"assertions\": []}")
                .post("/api/v1/checks").then().statusCode(400).body("where", equalTo("assertions"));
        given().contentType(ContentType.JSON).body(body("\"runs\": [99999999]", "metrics.loss < 1"))
                .post("/api/v1/checks").then().statusCode(404);
        given().contentType(ContentType.JSON).body(body("\"experiment\": " + experiment, "no nan in metrics.\"loss'); DROP TABLE run; --\""))
                .post("/api/v1/checks").then().statusCode(200).body("passed", equalTo(false));
        given().get("/api/v1/runs/" + good).then().statusCode(200);
    }
}
