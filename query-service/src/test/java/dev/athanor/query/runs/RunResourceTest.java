package dev.athanor.query.runs;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

import dev.athanor.query.testing.IndexTestData;
import dev.athanor.query.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("quarkus")
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class RunResourceTest {

    @Inject
    AgroalDataSource dataSource;

    long experiment;
    long good;
    long bad;

    @BeforeEach
    void data() {
        IndexTestData data = new IndexTestData(dataSource);
        experiment = data.experiment(IndexTestData.unique("rest-runs"));
        good = data.run(experiment, "lr-0.1", "FINISHED", Instant.parse("2024-01-01T00:00:00Z"), "{\"lr\": 0.1}");
        bad = data.run(experiment, "lr-1.0", "FAILED", Instant.parse("2024-01-02T00:00:00Z"), "{\"lr\": 1.0}");
        data.run(experiment, "other", "RUNNING", null, "{}");
        data.scalarSeries(good, "val_accuracy", new double[] {0.5, 0.91}, 10);
        data.scalarSeries(bad, "val_accuracy", new double[] {0.5, 0.2}, 10);
        data.series(good, "weights", "histograms", 2);
    }

    @Test
    void filtersSortsPagesAndProjects() {
        given().queryParam("experiment", experiment)
                .queryParam("filter", "hparams.lr <= 1 and name ~ \"^lr-\"")
                .queryParam("sort", "-metrics.val_accuracy@last")
                .queryParam("columns", "hparams.lr,metrics.val_accuracy@max")
                .queryParam("limit", 1)
                .get("/api/v1/runs")
                .then().statusCode(200)
                .body("total", equalTo(2))
                .body("nextOffset", equalTo(1))
                .body("items[0].path", equalTo("lr-0.1"))
                .body("items[0].hparams.lr", equalTo(0.1f))
                .body("items[0].values.'hparams.lr'", equalTo(0.1f))
                .body("items[0].values.'metrics.val_accuracy@max'", equalTo(0.91f));
        given().get("/api/v1/runs/" + bad).then().statusCode(200).body("status", equalTo("FAILED"))
                .body("experimentId", equalTo((int) experiment));
    }

    @Test
    void aSearchByPostTakesAFilterTooLongForAUrl() {
        // A filter of ~9,000 characters: as many alternatives as a long sweep selection needs.
        StringBuilder filter = new StringBuilder("name = 'lr-0.1'");
        for (int i = 0; filter.length() < 9_000; i++) {
            filter.append(" or name = 'no-such-run-").append(i).append("'");
        }
        given().contentType("application/json")
                .body(java.util.Map.of("experiment", experiment, "filter", filter.toString(), "columns", "hparams.lr",
                        "limit", 5))
                .post("/api/v1/runs/search")
                .then().statusCode(200)
                .body("total", equalTo(1))
                .body("items[0].path", equalTo("lr-0.1"))
                .body("items[0].values.'hparams.lr'", equalTo(0.1f));
        given().contentType("application/json").body(java.util.Map.of("filter", "hparams.lr < "))
                .post("/api/v1/runs/search").then().statusCode(400).body("where", equalTo("filter"));
        given().contentType("application/json").body(java.util.Map.of("limit", 0))
                .post("/api/v1/runs/search").then().statusCode(400).body("where", equalTo("limit"));
    }

    @Test
    void pagesByCursorCountingOnlyTheFirstPage() {
        io.restassured.path.json.JsonPath first = given().queryParam("experiment", experiment)
                .queryParam("sort", "-metrics.val_accuracy@last").queryParam("limit", 2)
                .get("/api/v1/runs").then().statusCode(200)
                .body("total", equalTo(3))
                .body("offset", equalTo(0))
                .body("nextOffset", equalTo(2))
                .body("items.path", org.hamcrest.Matchers.contains("lr-0.1", "lr-1.0"))
                .extract().jsonPath();
        String next = first.getString("next");
        given().queryParam("experiment", experiment).queryParam("sort", "-metrics.val_accuracy@last")
                .queryParam("limit", 2).queryParam("cursor", next)
                .get("/api/v1/runs").then().statusCode(200)
                .body("items.path", org.hamcrest.Matchers.contains("other"))
                .body("total", org.hamcrest.Matchers.nullValue())
                .body("offset", org.hamcrest.Matchers.nullValue())
                .body("next", org.hamcrest.Matchers.nullValue());
        given().contentType("application/json")
                .body(java.util.Map.of("experiment", experiment, "sort", "-metrics.val_accuracy@last", "limit", 2,
                        "cursor", next, "count", "exact"))
                .post("/api/v1/runs/search").then().statusCode(200)
                .body("items.path", org.hamcrest.Matchers.contains("other"))
                .body("total", equalTo(3));
        given().queryParam("experiment", experiment).queryParam("count", "none").get("/api/v1/runs").then()
                .statusCode(200).body("total", org.hamcrest.Matchers.nullValue()).body("items.size()", equalTo(3));
    }

    @Test
    void aBadOrForeignCursorIs400NamingTheParameter() {
        String next = given().queryParam("experiment", experiment).queryParam("sort", "hparams.lr").queryParam("limit", 1)
                .get("/api/v1/runs").then().statusCode(200).extract().path("next");
        given().queryParam("experiment", experiment).queryParam("sort", "-hparams.lr").queryParam("cursor", next)
                .get("/api/v1/runs").then().statusCode(400).body("where", equalTo("cursor"))
                .body("message", containsString("another listing"));
        String forged = java.util.Base64.getUrlEncoder().encodeToString(
                "{\"f\":\"x\",\"k\":[\"'; DROP TABLE run; --\"],\"id\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (String cursor : new String[] {"garbage!", forged, next.substring(0, next.length() / 2)}) {
            given().queryParam("experiment", experiment).queryParam("sort", "hparams.lr").queryParam("cursor", cursor)
                    .get("/api/v1/runs").then().statusCode(400).body("where", equalTo("cursor"))
                    .body(not(containsString("Exception")));
        }
        given().queryParam("experiment", experiment).queryParam("sort", "hparams.lr").queryParam("cursor", next)
                .queryParam("offset", 5).get("/api/v1/runs").then().statusCode(400).body("where", equalTo("cursor"));
        given().queryParam("experiment", experiment).queryParam("count", "approx").get("/api/v1/runs").then()
                .statusCode(400).body("where", equalTo("count"));
        given().queryParam("experiment", experiment).get("/api/v1/runs").then().statusCode(200).body("total", equalTo(3));
    }

    @Test
    void syntaxErrorsAre400WithPositionAndExpectation() {
        given().queryParam("experiment", experiment).queryParam("filter", "hparams.lr < ")
                .get("/api/v1/runs").then().statusCode(400)
                .body("error", equalTo("BAD_REQUEST"))
                .body("where", equalTo("filter"))
                .body("column", equalTo(14))
                .body("expected", containsString("a value"))
                .body("message", containsString("at column 14"))
                .body(not(containsString("Exception")));
        given().queryParam("filter", "metrics.loss ~ \"x\"").get("/api/v1/runs").then().statusCode(400)
                .body("message", containsString("is a number"));
        given().queryParam("sort", "-").get("/api/v1/runs").then().statusCode(400).body("where", equalTo("sort"));
        given().queryParam("columns", "hparams.").get("/api/v1/runs").then().statusCode(400).body("where", equalTo("columns"));
        given().queryParam("experiment", "abc").get("/api/v1/runs").then().statusCode(400).body("where", equalTo("experiment"));
        given().queryParam("experiment", 99_999_999).get("/api/v1/runs").then().statusCode(404);
        given().get("/api/v1/runs/99999999").then().statusCode(404).body("where", equalTo("runId"));
    }

    @Test
    void badRegexIs400AndTheServiceKeepsServing() {
        given().queryParam("experiment", experiment).queryParam("filter", "name ~ \"(unclosed\"")
                .get("/api/v1/runs").then().statusCode(400)
                .body("where", equalTo("filter"))
                .body("message", containsString("invalid regular expression"));
        given().queryParam("experiment", experiment).get("/api/v1/runs").then().statusCode(200).body("total", equalTo(3));
    }

    @Test
    void injectionAttemptsAreHarmless() {
        String[] attempts = {
                "name = \"x' OR '1'='1\"",
                "name = \"'; DROP TABLE run; --\"",
                "hparams.\"lr'); DELETE FROM run; --\" = 1",
                "metrics.\"val_accuracy' OR 1=1 --\"@max > 0",
                "hparams.lr = \"0.1' OR 'a'='a\"",
        };
        for (String attempt : attempts) {
            given().queryParam("experiment", experiment).queryParam("filter", attempt)
                    .get("/api/v1/runs").then().statusCode(200).body("total", equalTo(0));
        }
        // Raw SQL outside a string is not even a token.
        given().queryParam("experiment", experiment).queryParam("filter", "name = 'a'; DROP TABLE run")
                .get("/api/v1/runs").then().statusCode(400).body("column", equalTo(11));
        given().queryParam("experiment", experiment).queryParam("filter", "1=1 OR name = 'x'")
                .get("/api/v1/runs").then().statusCode(400);
        given().queryParam("experiment", experiment).get("/api/v1/runs").then().statusCode(200).body("total", equalTo(3));
    }

    @Test
    void tagsByRunAndByExperiment() {
        given().get("/api/v1/runs/" + good + "/tags").then().statusCode(200)
                .body("$", hasKey("scalars")).body("$", hasKey("histograms"))
                .body("scalars[0].tag", equalTo("val_accuracy")).body("scalars[0].points", equalTo(2));
        given().get("/api/v1/experiments/" + experiment + "/tags").then().statusCode(200)
                .body("scalars.val_accuracy", containsInAnyOrder((int) good, (int) bad));
        given().get("/api/v1/experiments/" + experiment).then().statusCode(200).body("runCount", equalTo(3));
        given().get("/api/v1/experiments/99999999/tags").then().statusCode(404);
    }
}
