package dev.athanor.query.hparams;

import static io.restassured.RestAssured.given;
import static io.restassured.config.JsonConfig.jsonConfig;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.athanor.query.testing.IndexTestData;
import dev.athanor.query.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.config.JsonPathConfig;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Session groups against real PostgreSQL: sessions grouped by an hparam (the key typed, groups in
 * value order, the sessions without it last) or a regex capture on the run name, with AVG,
 * MEDIAN, MIN and MAX of each metric across the members computed here by hand.
 */
@Tag("quarkus")
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class SessionGroupsResourceTest {

    @Inject
    AgroalDataSource dataSource;

    long experiment;

    @BeforeEach
    void data() {
        IndexTestData data = new IndexTestData(dataSource);
        experiment = data.experiment(IndexTestData.unique("rest-session-groups"));
        // lr=0.1: accuracy 0.8, 0.6, 0.7 (seed 2 also logs a NaN loss); lr=0.01: 0.5, 0.3; one run without lr.
        session(data, "lr0.1_seed0", "{\"lr\": 0.1, \"seed\": 0}", 0.8, 1.0);
        session(data, "lr0.1_seed1", "{\"lr\": 0.1, \"seed\": 1}", 0.6, 3.0);
        session(data, "lr0.1_seed2", "{\"lr\": 0.1, \"seed\": 2}", 0.7, Double.NaN);
        session(data, "lr0.01_seed0", "{\"lr\": 0.01, \"seed\": 0}", 0.5, 2.0);
        session(data, "lr0.01_seed1", "{\"lr\": 0.01, \"seed\": 1}", 0.3, 4.0);
        session(data, "baseline", "{\"seed\": 0}", 0.1, 9.0);
    }

    private void session(IndexTestData data, String path, String hparams, double accuracy, double loss) {
        long run = data.run(experiment, path, "FINISHED", null, hparams);
        data.scalarSeries(run, "accuracy", new double[] {0.0, accuracy}, 2);
        data.scalarSeries(run, "loss", new double[] {loss}, 2);
    }

    /** Numbers read as doubles (RestAssured's default is float), so aggregates compare to 1e-9. */
    private static RequestSpecification api() {
        return given().config(RestAssured.config().jsonConfig(jsonConfig().numberReturnType(JsonPathConfig.NumberReturnType.DOUBLE)));
    }

    @Test
    void groupsByAnHparamWithTheAggregatesOfEveryMetric() {
        api().queryParam("groupBy", "hparams.lr").get("/api/v1/experiments/" + experiment + "/hparams/groups")
                .then().statusCode(200)
                .body("groupBy", equalTo("hparams.lr"))
                .body("metricColumns", contains("accuracy", "loss"))
                .body("groups.name", contains("0.01", "0.1", "(none)"))
                .body("groups[0].key", equalTo(0.01))
                .body("groups[1].runs", contains("lr0.1_seed0", "lr0.1_seed1", "lr0.1_seed2"))
                .body("groups[1].metrics.accuracy.avg", closeTo(0.7, 1e-9))
                .body("groups[1].metrics.accuracy.median", closeTo(0.7, 1e-9))
                .body("groups[1].metrics.accuracy.min", closeTo(0.6, 1e-9))
                .body("groups[1].metrics.accuracy.max", closeTo(0.8, 1e-9))
                .body("groups[1].metrics.accuracy.count", equalTo(3))
                // The NaN loss is left out: two finite members, the median is their mean.
                .body("groups[1].metrics.loss.count", equalTo(2))
                .body("groups[1].metrics.loss.median", closeTo(2.0, 1e-9))
                .body("groups[0].metrics.accuracy.avg", closeTo(0.4, 1e-9))
                .body("groups[2].key", nullValue())
                .body("groups[2].runs", contains("baseline"));
    }

    @Test
    void groupsByARegexCaptureAfterTheFilter() {
        api().queryParam("groupBy", "regex:_seed([0-9]+)$").queryParam("filter", "hparams.lr > 0.05")
                .queryParam("metrics", "accuracy")
                .get("/api/v1/experiments/" + experiment + "/hparams/groups")
                .then().statusCode(200)
                .body("metricColumns", contains("accuracy"))
                .body("groups.name", contains("0", "1", "2"))
                .body("groups[0].runs", contains("lr0.1_seed0"))
                .body("groups[0].metrics.accuracy.max", closeTo(0.8, 1e-9));
    }

    @Test
    void aMissingOrBadGroupByIsABadRequestNamingIt() {
        given().get("/api/v1/experiments/" + experiment + "/hparams/groups")
                .then().statusCode(400).body("where", equalTo("groupBy"));
        given().queryParam("groupBy", "regex:no-group").get("/api/v1/experiments/" + experiment + "/hparams/groups")
                .then().statusCode(400).body("where", equalTo("groupBy"));
        given().queryParam("groupBy", "hparams.lr").get("/api/v1/experiments/99999999/hparams/groups")
                .then().statusCode(404);
    }
}
