package dev.athanor.query.compare;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.athanor.query.testing.IndexTestData;
import dev.athanor.query.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * GET /api/v1/experiments/{id}/compare: three runs with hparams and generated series; every summary
 * in the answer must equal what is computed here from the values written.
 */
@Tag("quarkus")
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class CompareResourceTest {

    /** Per run: loss and accuracy over steps 0..n-1 (chunks of 7, so extremes sit inside chunks). */
    static final double[][] LOSS = {
            {3, 2.5, 2, 1.2, 1.5, 1.1, 1.3, 1.1, 0.9, 1.0, 0.95, 1.0},
            {4, 3, 2, 1.5, 1.0, 0.8, 0.7, 0.75, 0.7, 0.72, 0.71, 0.73, 0.74, 0.9, 0.74},
            {3, 2.5, 2, 1.2, 1.5, 1.1, 1.3, 1.1, 0.9, 1.0, 0.95, 1.0}};
    static final double[][] ACCURACY = {
            {0.1, 0.5, 0.7, 0.72, 0.71, 0.8, 0.79},
            {0.2, 0.4, 0.9, 0.85, 0.9, 0.88, 0.87, Double.NaN},
            {0.1, 0.5, 0.7, 0.72, 0.71, 0.8, 0.79}};

    @Inject
    AgroalDataSource dataSource;

    IndexTestData data;
    long experiment;
    long[] runs = new long[3];
    long lonely;

    @BeforeEach
    void seed() {
        data = new IndexTestData(dataSource);
        experiment = data.experiment(IndexTestData.unique("compare"));
        String[] hparams = {"{\"lr\": 0.01, \"optimizer\": \"adam\", \"layers\": 4}",
                "{\"lr\": 0.1, \"optimizer\": \"adam\", \"layers\": 4.0, \"dropout\": 0.5}",
                "{\"lr\": 0.01, \"optimizer\": \"adam\", \"layers\": 4}"};
        for (int i = 0; i < 3; i++) {
            runs[i] = data.run(experiment, "run" + i, "FINISHED", null, hparams[i]);
            data.scalarSeries(runs[i], "train/loss", LOSS[i], 7);
            if (i < 2) {
                data.scalarSeries(runs[i], "eval/accuracy", ACCURACY[i], 3);
            }
        }
        data.scalarSeries(runs[2], "eval/top1", new double[] {0.5, 0.6}, 7);
        lonely = data.run(data.experiment(IndexTestData.unique("other")), "elsewhere");
    }

    @Test
    void summariesAndDifferencesEqualWhatTheValuesSay() {
        JsonPath json = new JsonPath(given().queryParam("runs", runs[0] + "," + runs[1] + "," + runs[2])
                .get("/api/v1/experiments/" + experiment + "/compare").then().statusCode(200).extract().asString())
                .using(new io.restassured.path.json.config.JsonPathConfig(
                        io.restassured.path.json.config.JsonPathConfig.NumberReturnType.DOUBLE));
        assertThat(json.getList("runs.id", Long.class)).containsExactly(runs[0], runs[1], runs[2]);
        assertThat(json.getList("runs.path")).containsExactly("run0", "run1", "run2");

        // hparams in natural order; 4 and 4.0 are the same value; a run without dropout differs.
        assertThat(json.getList("hparams.name")).containsExactly("dropout", "layers", "lr", "optimizer");
        assertThat(json.getList("hparams.differs", Boolean.class)).containsExactly(true, false, true, false);
        assertThat(json.getList("hparams.find { it.name == 'dropout' }.values")).containsExactly(null, 0.5, null);

        assertThat(json.getList("metrics.tag")).containsExactly("eval/accuracy", "eval/top1", "train/loss");
        assertThat(json.getList("metrics.goal")).containsExactly("max", "max", "min");
        assertThat(json.getList("metrics.goalSource")).containsExactly("name", "name", "name");
        for (int i = 0; i < 3; i++) {
            expectSummary(json, "train/loss", i, LOSS[i], false);
            expectSummary(json, "eval/accuracy", i, i < 2 ? ACCURACY[i] : null, true);
        }
        // run1 reaches the lowest loss and the highest accuracy; runs 0 and 2 are equal in loss, but run 1 differs.
        Map<String, Object> loss = json.getMap("metrics.find { it.tag == 'train/loss' }");
        assertThat(((Number) loss.get("bestRunId")).longValue()).isEqualTo(runs[1]);
        assertThat(loss.get("differs")).isEqualTo(true);
        Map<String, Object> accuracy = json.getMap("metrics.find { it.tag == 'eval/accuracy' }");
        assertThat(((Number) accuracy.get("bestRunId")).longValue()).isEqualTo(runs[1]);

        // Runs 0 and 2 are twins in hparams and loss: only the tags one of them lacks differ.
        JsonPath twins = given().queryParam("runs", runs[0]).queryParam("runs", runs[2])
                .get("/api/v1/experiments/" + experiment + "/compare").then().statusCode(200).extract().jsonPath();
        assertThat(twins.getList("hparams.differs", Boolean.class)).containsOnly(false);
        assertThat(twins.getList("metrics.findAll { it.differs }.tag")).containsExactly("eval/accuracy", "eval/top1");
        assertThat(twins.getList("metrics.find { it.tag == 'eval/top1' }.values")).first().isNull();
    }

    /** The answer's last/min/max/best/bestStep for one run and tag, against the values written (NaN left out). */
    private void expectSummary(JsonPath json, String tag, int run, double[] values, boolean maximize) {
        Map<String, Object> cell = json.getMap("metrics.find { it.tag == '" + tag + "' }.values[" + run + "]");
        if (values == null) {
            assertThat(cell).as(tag + " of run" + run).isNull();
            return;
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        int minStep = -1;
        int maxStep = -1;
        for (int i = 0; i < values.length; i++) {
            if (Double.isNaN(values[i])) {
                continue;
            }
            if (values[i] < min) {
                min = values[i];
                minStep = i;
            }
            if (values[i] > max) {
                max = values[i];
                maxStep = i;
            }
        }
        double last = values[values.length - 1];
        String as = tag + " of run" + run;
        assertThat(((Number) cell.get("points")).intValue()).as(as).isEqualTo(values.length);
        assertThat(((Number) cell.get("lastStep")).intValue()).as(as).isEqualTo(values.length - 1);
        if (Double.isNaN(last)) {
            assertThat(cell.get("last")).as(as).isNull();
        } else {
            assertThat(((Number) cell.get("last")).doubleValue()).as(as).isEqualTo(last);
        }
        assertThat(((Number) cell.get("min")).doubleValue()).as(as).isEqualTo(min);
        assertThat(((Number) cell.get("max")).doubleValue()).as(as).isEqualTo(max);
        assertThat(((Number) cell.get("best")).doubleValue()).as(as).isEqualTo(maximize ? max : min);
        assertThat(((Number) cell.get("bestStep")).intValue()).as(as).isEqualTo(maximize ? maxStep : minStep);
    }

    @Test
    void aGoalInTheRequestOverridesTheGuessAndMetricsNarrowTheTable() {
        JsonPath json = given().queryParam("runs", runs[0] + "," + runs[1]).queryParam("metric", "train/loss")
                .queryParam("goal", "train/loss:max").get("/api/v1/experiments/" + experiment + "/compare")
                .then().statusCode(200).extract().jsonPath();
        assertThat(json.getList("metrics.tag")).containsExactly("train/loss");
        assertThat(json.getString("metrics[0].goal")).isEqualTo("max");
        assertThat(json.getString("metrics[0].goalSource")).isEqualTo("request");
        assertThat(json.getDouble("metrics[0].values[0].best")).isEqualTo(3.0);
        assertThat(json.getInt("metrics[0].values[0].bestStep")).isZero();
        assertThat(json.getLong("metrics[0].bestRunId")).isEqualTo(runs[1]);
    }

    @Test
    void tooFewTooManyRepeatedForeignOrMissingRunsAreRefusedClearly() {
        String path = "/api/v1/experiments/" + experiment + "/compare";
        given().queryParam("runs", runs[0]).get(path).then().statusCode(400).body("where", equalTo("runs"))
                .body("message", containsString("2 to 6 runs; got 1"));
        given().get(path).then().statusCode(400).body("where", equalTo("runs"));
        List<Long> seven = new java.util.ArrayList<>();
        for (int i = 0; i < 7; i++) {
            seven.add(data.run(experiment, "extra" + i));
        }
        given().queryParam("runs", seven.stream().map(String::valueOf).reduce((a, b) -> a + "," + b).orElseThrow())
                .get(path).then().statusCode(400).body("where", equalTo("runs"))
                .body("message", containsString("2 to 6 runs; got 7"));
        given().queryParam("runs", runs[0] + "," + runs[0]).get(path).then().statusCode(400)
                .body("where", equalTo("runs")).body("message", containsString("once"));
        given().queryParam("runs", runs[0] + ",x").get(path).then().statusCode(400).body("where", equalTo("runs"));
        given().queryParam("runs", runs[0] + "," + lonely).get(path).then().statusCode(404)
                .body("message", containsString("run " + lonely + " not found in experiment " + experiment));
        given().queryParam("runs", runs[0] + "," + Long.MAX_VALUE).get(path).then().statusCode(404);
        given().queryParam("runs", runs[0] + "," + runs[1]).queryParam("goal", "train/loss:best").get(path)
                .then().statusCode(400).body("where", equalTo("goal"));
        given().queryParam("runs", runs[0] + "," + runs[1]).get("/api/v1/experiments/" + Long.MAX_VALUE + "/compare")
                .then().statusCode(404);
    }
}
