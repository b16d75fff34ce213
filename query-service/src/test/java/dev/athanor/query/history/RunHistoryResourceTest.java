package dev.athanor.query.history;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import dev.athanor.query.testing.IndexTestData;
import dev.athanor.query.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.sql.Timestamp;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("quarkus")
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class RunHistoryResourceTest {

    @Inject
    AgroalDataSource dataSource;

    long run;
    long quiet;

    @BeforeEach
    void data() {
        IndexTestData data = new IndexTestData(dataSource);
        long experiment = data.experiment(IndexTestData.unique("history"));
        run = data.run(experiment, "resumed", "RUNNING", Instant.parse("2024-01-01T00:00:00Z"), "{}");
        quiet = data.run(experiment, "quiet", "RUNNING", null, "{}");
        data.execute("INSERT INTO run_event (run_id, at, kind, detail) VALUES (?, ?, 'REOPENED', ?)", run,
                Timestamp.from(Instant.parse("2024-01-03T00:00:00Z")),
                "new data in events.out.tfevents.2.host after the run ended finished");
        data.execute("INSERT INTO run_event (run_id, at, kind, detail) VALUES (?, ?, 'FINISHED', ?)", run,
                Timestamp.from(Instant.parse("2024-01-02T00:00:00Z")), "marked finished by FinishRun");
        for (int i = 0; i < 3; i++) {
            data.execute("INSERT INTO ingest_problem (run_id, file_name, file_offset, kind, message) VALUES (?, ?, ?, ?, ?)",
                    run, "events.out.tfevents.1.host", 100L * i, "MALFORMED_EVENT",
                    "record at offset " + 100 * i + " is not an Event");
        }
        data.execute("INSERT INTO ingest_problem (run_id, kind, message) VALUES (?, 'INDEX_REFUSED', 'not about a file')", run);
    }

    @Test
    void eventsComeOldestFirstWithWhatCausedThem() {
        given().get("/api/v1/runs/" + run + "/events").then().statusCode(200)
                .body("", hasSize(2))
                .body("[0].kind", equalTo("FINISHED"))
                .body("[1].kind", equalTo("REOPENED"))
                .body("[1].detail", equalTo("new data in events.out.tfevents.2.host after the run ended finished"))
                .body("[1].at", equalTo("2024-01-03T00:00:00Z"));
        given().get("/api/v1/runs/" + quiet + "/events").then().statusCode(200).body("", hasSize(0));
    }

    @Test
    void problemsAreLocatedAndPaged() {
        given().queryParam("limit", 2).get("/api/v1/runs/" + run + "/problems").then().statusCode(200)
                .body("total", equalTo(4))
                .body("nextOffset", equalTo(2))
                .body("items[1].fileName", equalTo("events.out.tfevents.1.host"))
                .body("items[1].fileOffset", equalTo(100))
                .body("items[1].kind", equalTo("MALFORMED_EVENT"));
        given().queryParam("offset", 2).get("/api/v1/runs/" + run + "/problems").then().statusCode(200)
                .body("items", hasSize(2))
                .body("items[1].fileName", nullValue())
                .body("items[1].fileOffset", nullValue())
                .body("nextOffset", nullValue());
    }

    @Test
    void unknownRunsAre404() {
        given().get("/api/v1/runs/99999999/events").then().statusCode(404).body("where", equalTo("runId"));
        given().get("/api/v1/runs/99999999/problems").then().statusCode(404);
    }
}
