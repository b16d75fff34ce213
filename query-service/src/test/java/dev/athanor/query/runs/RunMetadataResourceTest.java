package dev.athanor.query.runs;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.athanor.auth.testing.AuditCapture;
import dev.athanor.query.common.text.NaturalOrder;
import dev.athanor.query.testing.IndexTestData;
import dev.athanor.query.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Run metadata over REST (display name, labels, note, color, pinned), natural sort, experiment descriptions. */
@Tag("quarkus")
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class RunMetadataResourceTest {

    /**
     * What ingest-service's Reindexer.clear runs on a run before replaying its raw log; kept equal
     * to it by hand (ingest-service is not on this module's classpath).
     */
    static final List<String> REINDEX_CLEAR = List.of(
            "DELETE FROM series WHERE run_id = ?",
            "DELETE FROM ingest_problem WHERE run_id = ?",
            "UPDATE source_file SET indexed_offset = 0, record_count = 0 WHERE run_id = ?",
            """
            UPDATE run SET hparams = '{}'::jsonb, hparams_config = NULL, session_group = NULL,
                session_status = NULL, started_at = NULL, last_event_at = NULL WHERE id = ?""");

    @Inject
    AgroalDataSource dataSource;

    IndexTestData data;
    long experiment;
    long run;
    long other;

    @BeforeEach
    void seed() {
        data = new IndexTestData(dataSource);
        experiment = data.experiment(IndexTestData.unique("meta"));
        run = data.run(experiment, "seed0_lr2");
        other = data.run(experiment, "seed0_lr10");
        data.run(experiment, "seed0_lr1");
        data.run(experiment, "seed00_lr3");
        data.scalarSeries(run, "loss", new double[] {1, 2}, 1000);
    }

    /** Digit runs compare by value ("00" = "0"), so seed00_lr3 sorts by its lr3 between lr2 and lr10. */
    @Test
    void runsListInNaturalOrder() {
        given().queryParam("experiment", experiment).get("/api/v1/runs").then().statusCode(200)
                .body("items.path", contains("seed0_lr1", "seed0_lr2", "seed00_lr3", "seed0_lr10"));
        given().queryParam("experiment", experiment).queryParam("sort", "-name").get("/api/v1/runs").then()
                .statusCode(200).body("items.path", contains("seed0_lr10", "seed00_lr3", "seed0_lr2", "seed0_lr1"));
    }

    @Test
    void theSqlSortKeyEqualsTheJavaOne() throws Exception {
        try (var c = dataSource.getConnection(); var ps = c.prepareStatement("SELECT natural_sort_key(?)")) {
            for (String name : List.of("seed0_lr10", "lr-0.001", "v1.2.10", "a.5", "007", "0", ".", "x" + "9".repeat(30),
                    "run/2024-05-01T12:00", "ünï_12ü")) {
                ps.setString(1, name);
                try (var rs = ps.executeQuery()) {
                    rs.next();
                    assertThat(rs.getString(1)).as(name).isEqualTo(NaturalOrder.key(name));
                }
            }
        }
    }

    @Test
    void patchRoundTripShowsInRunJsonFiltersAndExport() {
        given().contentType(ContentType.JSON).body("""
                {"displayName": "baseline (lr 2)", "labels": ["baseline", "sweep:lr", "baseline"],
                 "note": "# Notes\\nlr warmup for 500 steps", "color": "#A1B2C3", "pinned": true}""")
                .patch("/api/v1/runs/" + run).then().statusCode(200)
                .body("id", equalTo((int) run))
                .body("displayName", equalTo("baseline (lr 2)"))
                .body("labels", contains("baseline", "sweep:lr"))
                .body("note", equalTo("# Notes\nlr warmup for 500 steps"))
                .body("color", equalTo("#a1b2c3"))
                .body("pinned", equalTo(true));
        // Only what is given changes; null clears.
        given().contentType(ContentType.JSON).body("{\"color\": null}").patch("/api/v1/runs/" + run)
                .then().statusCode(200).body("color", nullValue()).body("displayName", equalTo("baseline (lr 2)"));
        given().get("/api/v1/runs/" + run).then().statusCode(200)
                .body("labels", contains("baseline", "sweep:lr")).body("pinned", equalTo(true));
        given().get("/api/v1/runs/" + other).then().statusCode(200)
                .body("labels", org.hamcrest.Matchers.empty()).body("pinned", equalTo(false));

        for (String filter : List.of("label = 'baseline'", "note ~ 'lr warmup'", "display_name ~ '^baseline'",
                "pinned = true", "label ~ '^sweep:'", "label in ('x', 'sweep:lr')")) {
            List<Long> ids = given().queryParam("experiment", experiment).queryParam("filter", filter).get("/api/v1/runs")
                    .then().statusCode(200).extract().jsonPath().getList("items.id", Long.class);
            assertThat(ids).as(filter).containsExactly(run);
        }
        given().queryParam("experiment", experiment).queryParam("filter", "label != 'baseline' and label is null")
                .get("/api/v1/runs").then().statusCode(200).body("total", equalTo(3));
        given().queryParam("experiment", experiment).queryParam("filter", "label < 'b'")
                .get("/api/v1/runs").then().statusCode(400).body("where", equalTo("filter"));
        given().queryParam("experiment", experiment).queryParam("filter", "pinned = 'yes'")
                .get("/api/v1/runs").then().statusCode(400).body("where", equalTo("filter"));
        // Injection attempts are values, bound as parameters.
        given().queryParam("experiment", experiment).queryParam("filter", "label = \"x') OR true --\"")
                .get("/api/v1/runs").then().statusCode(200).body("total", equalTo(0));
        given().queryParam("experiment", experiment).queryParam("columns", "display_name,label,pinned")
                .queryParam("filter", "id = " + run).get("/api/v1/runs").then().statusCode(200)
                .body("items[0].values.display_name", equalTo("baseline (lr 2)"))
                .body("items[0].values.label", equalTo("baseline,sweep:lr"));

        String jsonl = given().queryParam("experiment", experiment).get("/api/v1/export").then().statusCode(200)
                .extract().asString();
        assertThat(jsonl.lines().filter(l -> l.contains("\"run_metadata\""))).containsExactly(
                "{\"run\":\"seed0_lr2\",\"plugin\":\"run_metadata\",\"display_name\":\"baseline (lr 2)\","
                        + "\"labels\":[\"baseline\",\"sweep:lr\"],\"note\":\"# Notes\\nlr warmup for 500 steps\","
                        + "\"color\":null,\"pinned\":true}");
        String csv = given().queryParam("experiment", experiment).queryParam("format", "csv").get("/api/v1/export")
                .then().statusCode(200).extract().asString();
        assertThat(csv).contains("seed0_lr2,,,,run_metadata,\"{\"\"display_name\"\":\"\"baseline (lr 2)\"\"");
        String scalarsOnly = given().queryParam("experiment", experiment).queryParam("plugin", "scalars")
                .get("/api/v1/export").then().statusCode(200).extract().asString();
        assertThat(scalarsOnly).doesNotContain("run_metadata");
    }

    @Test
    void metadataSurvivesAReindexClear() {
        given().contentType(ContentType.JSON)
                .body("{\"displayName\": \"kept\", \"labels\": [\"a\"], \"note\": \"n\", \"color\": \"#000000\", \"pinned\": true}")
                .patch("/api/v1/runs/" + run).then().statusCode(200);
        for (String sql : REINDEX_CLEAR) {
            data.execute(sql, run);
        }
        given().get("/api/v1/runs/" + run).then().statusCode(200)
                .body("displayName", equalTo("kept")).body("labels", contains("a")).body("note", equalTo("n"))
                .body("color", equalTo("#000000")).body("pinned", equalTo(true));
        given().get("/api/v1/runs/" + run + "/tags").then().statusCode(200).body("size()", equalTo(0));
    }

    @Test
    void invalidFieldsAre400NamingTheField() {
        record Case(String body, String where, String says) {
        }
        for (Case c : List.of(
                new Case("{\"color\": \"red\"}", "body.color", "#rrggbb"),
                new Case("{\"color\": \"#12345g\"}", "body.color", "#rrggbb"),
                new Case("{\"labels\": [\"ok\", \"not ok\"]}", "body.labels[1]", "letters, digits"),
                new Case("{\"labels\": [\"-x\"]}", "body.labels[0]", "starting with a letter or digit"),
                new Case("{\"labels\": [\"" + "a".repeat(65) + "\"]}", "body.labels[0]", "1-64"),
                new Case("{\"labels\": [1]}", "body.labels[0]", "must be a string"),
                new Case("{\"labels\": \"baseline\"}", "body.labels", "array of strings"),
                new Case("{\"labels\": [" + "\"l\",".repeat(0) + labels(33) + "]}", "body.labels", "at most 32"),
                new Case("{\"displayName\": \"" + "d".repeat(257) + "\"}", "body.displayName", "at most 256"),
                new Case("{\"displayName\": \"a\\u0007b\"}", "body.displayName", "control character"),
                new Case("{\"displayName\": 5}", "body.displayName", "must be a string"),
                new Case("{\"note\": \"" + "n".repeat(65_537) + "\"}", "body.note", "at most 65536"),
                new Case("{\"pinned\": \"yes\"}", "body.pinned", "true or false"),
                new Case("{\"name\": \"x\"}", "body.name", "unknown field"),
                new Case("{}", "body", "displayName"))) {
            var json = given().contentType(ContentType.JSON).body(c.body()).patch("/api/v1/runs/" + run)
                    .then().extract();
            String label = c.body().length() > 100 ? c.body().substring(0, 100) : c.body();
            assertThat(json.statusCode()).as(label).isEqualTo(400);
            assertThat(json.jsonPath().getString("error")).as(label).isEqualTo("BAD_REQUEST");
            assertThat(json.jsonPath().getString("where")).as(label).isEqualTo(c.where());
            assertThat(json.jsonPath().getString("message")).as(label).contains(c.says());
        }
        given().contentType(ContentType.JSON).body("{\"pinned\": true}").patch("/api/v1/runs/99999999")
                .then().statusCode(404);
        given().get("/api/v1/runs/" + run).then().body("pinned", equalTo(false)).body("displayName", nullValue());
    }

    /** The audit row of an edit names each changed field, old → new; of the note only that it changed. */
    @Test
    void theAuditRowOfAnEditNamesWhatChanged() {
        List<String> rows;
        try (AuditCapture audit = AuditCapture.start()) {
            given().contentType(ContentType.JSON).body("{\"displayName\": \"first\", \"note\": \"secret plan\"}")
                    .patch("/api/v1/runs/" + run).then().statusCode(200);
            given().contentType(ContentType.JSON).body("""
                    {"displayName": "baseline", "labels": ["baseline"], "note": "another secret", "color": "#00aa00",
                     "pinned": false}""").patch("/api/v1/runs/" + run).then().statusCode(200);
            given().contentType(ContentType.JSON).body("{\"note\": null, \"color\": null}")
                    .patch("/api/v1/runs/" + run).then().statusCode(200);
            rows = audit.lines();
        }
        List<String> ofRun = rows.stream().filter(r -> r.contains("action=\"PATCH /api/v1/runs/" + run + "\"")).toList();
        assertThat(ofRun).hasSize(3);
        assertThat(ofRun.get(0)).contains("outcome=allowed", "runId=" + run,
                "changes=\"displayName: (none) → 'first'; note: set\"");
        // pinned was false already: not a change.
        assertThat(ofRun.get(1)).contains("changes=\"displayName: 'first' → 'baseline'; labels: [] → [baseline];"
                + " note: changed; color: (none) → #00aa00\"");
        assertThat(ofRun.get(2)).contains("changes=\"note: cleared; color: #00aa00 → (none)\"");
        assertThat(String.join("\n", ofRun)).doesNotContain("secret");
    }

    /**
     * Concurrent edits of one run: each audit row's old value is what the run held just before that
     * edit, so every value is the old value of at most one row and the rows chain from the first to
     * the last value (reading the old values apart from the update let two rows claim the same one).
     */
    @Test
    void concurrentEditsAuditAChainOfOldValues() throws Exception {
        given().contentType(ContentType.JSON).body("{\"displayName\": \"start\"}").patch("/api/v1/runs/" + run).then()
                .statusCode(200);
        int rounds = 12;
        int writers = 3;
        List<String> rows;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
        try (AuditCapture audit = AuditCapture.start()) {
            for (int round = 0; round < rounds; round++) {
                java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
                List<java.util.concurrent.Future<Integer>> edits = new java.util.ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    String name = "r" + round + "w" + w;
                    edits.add(pool.submit(() -> {
                        go.await();
                        return given().contentType(ContentType.JSON).body("{\"displayName\": \"" + name + "\"}")
                                .patch("/api/v1/runs/" + run).then().extract().statusCode();
                    }));
                }
                go.countDown();
                for (var edit : edits) {
                    assertThat(edit.get()).isEqualTo(200);
                }
            }
            rows = audit.lines();
        } finally {
            pool.shutdownNow();
        }
        java.util.regex.Pattern change = java.util.regex.Pattern.compile("changes=\"displayName: '([^']*)' → '([^']*)'\"");
        java.util.Map<String, String> next = new java.util.HashMap<>();
        for (String row : rows.stream().filter(r -> r.contains("action=\"PATCH /api/v1/runs/" + run + "\"")).toList()) {
            java.util.regex.Matcher m = change.matcher(row);
            assertThat(m.find()).as(row).isTrue();
            assertThat(next.put(m.group(1), m.group(2))).as("two edits claim to have replaced '%s'", m.group(1)).isNull();
        }
        assertThat(next).hasSize(rounds * writers);
        String value = "start";
        for (int i = 0; i < rounds * writers; i++) {
            value = next.get(value);
            assertThat(value).as("the chain of old → new values breaks after %d edits", i).isNotNull();
        }
        assertThat(given().get("/api/v1/runs/" + run).then().extract().<String>path("displayName")).isEqualTo(value);
    }

    @Test
    void experimentDescriptionIsEditable() {
        given().contentType(ContentType.JSON).body("{\"description\": \"## Sweep\\nlr × seed\"}")
                .patch("/api/v1/experiments/" + experiment).then().statusCode(200)
                .body("description", equalTo("## Sweep\nlr × seed"));
        given().get("/api/v1/experiments/" + experiment).then().body("description", equalTo("## Sweep\nlr × seed"));
        // Names are editable too (issue 17, curating: CurateResourceTest); other fields are not.
        given().contentType(ContentType.JSON).body("{\"owner\": \"me\"}")
                .patch("/api/v1/experiments/" + experiment).then().statusCode(400).body("where", equalTo("body.owner"));
        given().contentType(ContentType.JSON).body("{\"description\": 3}")
                .patch("/api/v1/experiments/" + experiment).then().statusCode(400)
                .body("where", equalTo("body.description"));
        given().contentType(ContentType.JSON).body("{\"description\": null}")
                .patch("/api/v1/experiments/" + experiment).then().statusCode(200).body("description", equalTo(""));
    }

    private static String labels(int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(i == 0 ? "" : ",").append("\"l").append(i).append('"');
        }
        return s.toString();
    }
}
