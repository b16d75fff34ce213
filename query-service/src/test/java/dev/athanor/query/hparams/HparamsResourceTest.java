package dev.athanor.query.hparams;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.athanor.query.testing.IndexTestData;
import dev.athanor.query.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("quarkus")
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class HparamsResourceTest {

    @Inject
    AgroalDataSource dataSource;

    long experiment;

    @BeforeEach
    void data() {
        IndexTestData data = new IndexTestData(dataSource);
        experiment = data.experiment(IndexTestData.unique("rest-hparams"));
        long a = data.run(experiment, "run-0", "FINISHED", null, "{\"lr\": 0.1, \"optimizer\": \"adam, fast\"}");
        long b = data.run(experiment, "run-1", "FINISHED", null, "{\"lr\": 0.01, \"optimizer\": \"sgd\"}");
        data.scalarSeries(data.run(experiment, "run-0/validation"), "epoch_accuracy", new double[] {0.9}, 2);
        data.scalarSeries(data.run(experiment, "run-1/validation"), "epoch_accuracy", new double[] {0.7}, 2);
        data.scalarSeries(a, "accuracy", new double[] {Double.NaN}, 2);
        data.scalarSeries(b, "accuracy", new double[] {0.5}, 2);
    }

    @Test
    void columnsSessionsAndPaging() {
        given().get("/api/v1/experiments/" + experiment + "/hparams").then().statusCode(200)
                .body("hparams.name", contains("lr", "optimizer"))
                .body("hparams[0].type", equalTo("number"))
                .body("metrics.key", contains("accuracy", "validation/epoch_accuracy"));
        given().queryParam("sort", "metrics.validation/epoch_accuracy").queryParam("limit", 1)
                .get("/api/v1/experiments/" + experiment + "/hparams/sessions").then().statusCode(200)
                .body("metricColumns", contains("accuracy", "validation/epoch_accuracy"))
                .body("sessions.total", equalTo(2))
                .body("sessions.nextOffset", equalTo(1))
                .body("sessions.items[0].run", equalTo("run-1"))
                .body("sessions.items[0].hparams.optimizer", equalTo("sgd"))
                .body("sessions.items[0].metrics.'validation/epoch_accuracy'", equalTo(0.7f));
        given().queryParam("filter", "metrics.accuracy > 0").get("/api/v1/experiments/" + experiment + "/hparams/sessions")
                .then().statusCode(200).body("sessions.items.run", contains("run-1"));
    }

    @Test
    void csvDownload() {
        String csv = given().queryParam("format", "csv").queryParam("sort", "-hparams.lr")
                .get("/api/v1/experiments/" + experiment + "/hparams/sessions")
                .then().statusCode(200).contentType(containsString("text/csv"))
                .header("Content-Disposition", containsString("hparams.csv"))
                .extract().asString();
        assertThat(csv.split("\r\n")).containsExactly(
                "run,group,status,session_status,hparams.lr,hparams.optimizer,metrics.accuracy,metrics.validation/epoch_accuracy",
                "run-0,,FINISHED,,0.1,\"adam, fast\",NaN,0.9",
                "run-1,,FINISHED,,0.01,sgd,0.5,0.7");
    }

    @Test
    void badInput() {
        given().queryParam("metrics", "nope").get("/api/v1/experiments/" + experiment + "/hparams/sessions")
                .then().statusCode(400).body("where", equalTo("metrics"));
        given().queryParam("format", "xml").get("/api/v1/experiments/" + experiment + "/hparams/sessions")
                .then().statusCode(400).body("where", equalTo("format"));
        given().queryParam("sort", "metrics.").get("/api/v1/experiments/" + experiment + "/hparams/sessions")
                .then().statusCode(400).body("where", equalTo("sort"));
        given().get("/api/v1/experiments/99999999/hparams").then().statusCode(404);
    }
}
