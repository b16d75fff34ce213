package dev.athanor.query.curate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.athanor.query.curate.service.TrashSweeper;
import dev.athanor.query.testing.IndexTestData;
import dev.athanor.query.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Trash, restore, purge requests, moves and renames over REST (auth off: the local superuser). */
@Tag("quarkus")
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class CurateResourceTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    TrashSweeper sweeper;

    IndexTestData data;
    long experiment;
    long run;
    long sibling;

    @BeforeEach
    void seed() {
        data = new IndexTestData(dataSource);
        experiment = data.experiment(IndexTestData.unique("curate"));
        run = data.run(experiment, "lr0.1", "FINISHED", Instant.parse("2026-01-01T00:00:00Z"),
                "{\"lr\": 0.1, \"optimizer\": \"adam\"}");
        sibling = data.run(experiment, "lr0.2", "FINISHED", Instant.parse("2026-01-01T00:00:00Z"),
                "{\"lr\": 0.2, \"optimizer\": \"sgd\"}");
        data.scalarSeries(run, "loss", new double[] {3, 2, 1.5, 1.25}, 2);
        data.scalarSeries(run, "accuracy", new double[] {0.1, 0.5, 0.75}, 1000);
        data.scalarSeries(sibling, "loss", new double[] {4, 3}, 1000);
        given().contentType(ContentType.JSON).body("{\"labels\": [\"baseline\"], \"note\": \"keep **this**\"}")
                .patch("/api/v1/runs/" + run).then().statusCode(200);
    }

    private String export(long... runs) {
        var request = given().queryParam("experiment", experiment);
        for (long r : runs) {
            request = request.queryParam("run", r);
        }
        return request.get("/api/v1/export").then().statusCode(200).extract().asString();
    }

    @Test
    void aRestoredRunExportsExactlyAsBeforeItsDeletion() {
        String before = export();
        String runBefore = export(run);
        assertThat(before).contains("lr0.1").contains("\"loss\"").contains("baseline");

        given().delete("/api/v1/runs/" + run).then().statusCode(200)
                .body("kind", equalTo("run")).body("id", equalTo((int) run))
                .body("footprint.runs", equalTo(1)).body("footprint.series", equalTo(2))
                .body("purgeAfter", containsString("T"));

        // Hidden from every read.
        given().get("/api/v1/runs/" + run).then().statusCode(404);
        given().get("/api/v1/runs/" + run + "/tags").then().statusCode(404);
        given().queryParam("experiment", experiment).get("/api/v1/runs").then().statusCode(200)
                .body("items.id", not(hasItem((int) run))).body("total", equalTo(1));
        given().contentType(ContentType.JSON).body("{\"filter\": \"label = 'baseline'\", \"experiment\": " + experiment + "}")
                .post("/api/v1/runs/search").then().statusCode(200).body("total", equalTo(0));
        given().get("/api/v1/experiments/" + experiment).then().statusCode(200)
                .body("runCount", equalTo(1));
        given().queryParam("run", run).queryParam("tag", "loss").get("/api/v1/scalars").then().statusCode(404);
        given().queryParam("experiment", experiment).queryParam("tag", "loss").get("/api/v1/scalars").then()
                .statusCode(200).body(not(containsString("lr0.1")));
        given().get("/api/v1/experiments/" + experiment + "/hparams/sessions").then().statusCode(200)
                .body(not(containsString("lr0.1"))).body(not(containsString("adam")));
        given().get("/api/v1/experiments/" + experiment + "/tags").then().statusCode(200)
                .body(not(containsString("accuracy")));
        assertThat(export()).doesNotContain("lr0.1").contains("lr0.2");
        given().queryParam("experiment", experiment).queryParam("run", run).get("/api/v1/export").then().statusCode(404);
        // Listed in the trash.
        given().get("/api/v1/trash").then().statusCode(200)
                .body("find { it.kind == 'run' && it.id == " + run + " }.name", equalTo("lr0.1"))
                .body("find { it.kind == 'run' && it.id == " + run + " }.footprint.series", equalTo(2));
        given().delete("/api/v1/runs/" + run).then().statusCode(409).body("message", containsString("already in the trash"));

        given().post("/api/v1/runs/" + run + "/restore").then().statusCode(200).body("path", equalTo("lr0.1"))
                .body("labels", equalTo(List.of("baseline")));
        assertThat(export()).isEqualTo(before);
        assertThat(export(run)).isEqualTo(runBefore);
        given().post("/api/v1/runs/" + run + "/restore").then().statusCode(409)
                .body("message", containsString("not in the trash"));
    }

    @Test
    void anExperimentGoesToTheTrashWithItsRunsAndComesBackWithThem() {
        String before = export();
        long trashedEarlier = data.run(experiment, "old");
        given().delete("/api/v1/runs/" + trashedEarlier).then().statusCode(200);

        given().delete("/api/v1/experiments/" + experiment).then().statusCode(200)
                .body("kind", equalTo("experiment")).body("footprint.runs", equalTo(3));
        given().get("/api/v1/experiments/" + experiment).then().statusCode(404);
        given().queryParam("search", "curate").get("/api/v1/experiments").then().statusCode(200)
                .body("items.id", not(hasItem((int) experiment)));
        given().queryParam("experiment", experiment).get("/api/v1/export").then().statusCode(404);
        given().get("/api/v1/runs/" + sibling).then().statusCode(404);
        given().post("/api/v1/runs/" + sibling + "/restore").then().statusCode(409)
                .body("message", containsString("restore the experiment"));

        given().post("/api/v1/experiments/" + experiment + "/restore").then().statusCode(200);
        assertThat(export()).isEqualTo(before);
        // The run trashed on its own before stays in the trash.
        given().get("/api/v1/runs/" + trashedEarlier).then().statusCode(404);
    }

    @Test
    void purgeIsRequestedOnlyFromTheTrashAndNeverUnderALegalHold() throws Exception {
        given().post("/api/v1/runs/" + run + "/purge").then().statusCode(409)
                .body("message", containsString("not in the trash"));
        given().delete("/api/v1/runs/" + run).then().statusCode(200);
        data.execute("INSERT INTO archive_policy (project_id, legal_hold, updated_by) SELECT id, true, 'counsel'"
                + " FROM project WHERE name = 'default' ON CONFLICT (project_id) DO UPDATE SET legal_hold = true,"
                + " updated_by = 'counsel'");
        try {
            given().post("/api/v1/runs/" + run + "/purge").then().statusCode(409)
                    .body("message", containsString("legal hold")).body("message", containsString("counsel"));
            assertThat(purgeRequest(run)).isNull();
        } finally {
            data.execute("UPDATE archive_policy SET legal_hold = false WHERE project_id ="
                    + " (SELECT id FROM project WHERE name = 'default')");
        }
        given().post("/api/v1/runs/" + run + "/purge").then().statusCode(202)
                .body("footprint.series", equalTo(2)).body("name", equalTo("lr0.1"));
        assertThat(purgeRequest(run)).isEqualTo("ADMIN");
        given().post("/api/v1/runs/" + run + "/restore").then().statusCode(409)
                .body("message", containsString("purge has been requested"));
    }

    @Test
    void theSweeperAsksForThePurgeOfTrashPastItsWindowAndDeletesPurgedExperiments() throws Exception {
        given().delete("/api/v1/runs/" + run).then().statusCode(200);
        given().delete("/api/v1/runs/" + sibling).then().statusCode(200);
        // 31 days ago: past the default 30-day window; the sibling was trashed just now.
        data.execute("UPDATE run SET trashed_at = now() - interval '31 days' WHERE id = ?", run);
        sweeper.sweep();
        assertThat(purgeRequest(run)).isEqualTo("TRASH_EXPIRED");
        assertThat(purgeRequest(sibling)).isNull();

        long empty = data.experiment(IndexTestData.unique("curate-empty"));
        given().delete("/api/v1/experiments/" + empty).then().statusCode(200);
        given().post("/api/v1/experiments/" + empty + "/purge").then().statusCode(202);
        sweeper.sweep();
        assertThat(count("SELECT count(*) FROM experiment WHERE id = " + empty)).isZero();
    }

    @Test
    void aRunMovesWithinItsProjectOnly() {
        long target = data.experiment(IndexTestData.unique("curate-target"));
        long clash = data.run(target, "lr0.2");
        given().contentType(ContentType.JSON).body("{\"experiment\": " + target + "}")
                .post("/api/v1/runs/" + sibling + "/move").then().statusCode(409)
                .body("message", containsString("already has a run named 'lr0.2'"));
        given().contentType(ContentType.JSON).body("{\"experiment\": " + target + "}")
                .post("/api/v1/runs/" + run + "/move").then().statusCode(200)
                .body("experimentId", equalTo((int) target)).body("labels", equalTo(List.of("baseline")));
        given().queryParam("experiment", target).get("/api/v1/runs").then().statusCode(200)
                .body("items.id", hasItem((int) run)).body("items.id", hasItem((int) clash));

        data.execute("INSERT INTO project (name) VALUES (?) ON CONFLICT DO NOTHING", "curate-other");
        long foreign = insertId("INSERT INTO experiment (project_id, name) SELECT id, ? FROM project"
                + " WHERE name = 'curate-other' RETURNING id", IndexTestData.unique("foreign"));
        given().contentType(ContentType.JSON).body("{\"experiment\": " + foreign + "}")
                .post("/api/v1/runs/" + run + "/move").then().statusCode(404).body("where", equalTo("body.experiment"));
        given().contentType(ContentType.JSON).body("{\"experiment\": \"x\"}")
                .post("/api/v1/runs/" + run + "/move").then().statusCode(400).body("where", equalTo("body.experiment"));
        long live = data.run(experiment, "live");
        given().contentType(ContentType.JSON).body("{\"experiment\": " + target + "}")
                .post("/api/v1/runs/" + live + "/move").then().statusCode(409).body("message", containsString("RUNNING"));
    }

    @Test
    void anExperimentIsRenamedUnlessTheNameIsTaken() {
        String taken = IndexTestData.unique("curate-taken");
        data.experiment(taken);
        String name = IndexTestData.unique("curate-renamed");
        given().contentType(ContentType.JSON).body("{\"name\": \"" + name + "\", \"description\": \"new words\"}")
                .patch("/api/v1/experiments/" + experiment).then().statusCode(200)
                .body("name", equalTo(name)).body("description", equalTo("new words"));
        given().contentType(ContentType.JSON).body("{\"name\": \"" + taken + "\"}")
                .patch("/api/v1/experiments/" + experiment).then().statusCode(409).body("where", equalTo("body.name"));
        given().contentType(ContentType.JSON).body("{\"name\": \"a/b\"}")
                .patch("/api/v1/experiments/" + experiment).then().statusCode(400).body("where", equalTo("body.name"));
        given().get("/api/v1/experiments/" + experiment).then().statusCode(200).body("name", equalTo(name));
    }

    private String purgeRequest(long runId) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT reason FROM purge_request WHERE run_id = ?")) {
            ps.setLong(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private long insertId(String sql, String param) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private long count(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
