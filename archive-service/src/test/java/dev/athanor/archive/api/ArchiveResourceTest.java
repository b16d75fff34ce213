package dev.athanor.archive.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

import dev.athanor.archive.config.ArchiveConfig;
import dev.athanor.archive.testing.ArchiveServiceResource;
import dev.athanor.archive.testing.HotLog;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@QuarkusTest
@QuarkusTestResource(ArchiveServiceResource.class)
// The first test checks the node's totals; the second adds to them.
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ArchiveResourceTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ArchiveConfig config;

    @Test
    @Order(1)
    void aPassOnDemandArchivesAndTheCatalogReportsIt() throws Exception {
        HotLog hot = new HotLog(dataSource, config.hot().root(), ArchiveServiceResource.NODE);
        HotLog.Segment segment = hot.segment(hot.run("run-1", "FINISHED"), 25);

        given().post("/api/v1/archive/passes").then().statusCode(200)
                .body("status", equalTo("RAN"))
                .body("archived", equalTo(1))
                .body("hotDeleted", equalTo(1));
        assertThat(segment.file()).doesNotExist();
        assertThat(config.filesystem().root().resolve("athanor/" + segment.relativePath())).hasBinaryContent(segment.bytes());

        given().get("/api/v1/archive/status").then().statusCode(200)
                .body("store", equalTo("primary"))
                .body("node", equalTo(ArchiveServiceResource.NODE))
                .body("totals.warmBytes", equalTo(segment.bytes().length))
                .body("lastPass.archived", equalTo(1));
        given().get("/api/v1/archive/segments/" + segment.id()).then().statusCode(200)
                .body("[0].state", equalTo("VERIFIED"))
                .body("[0].tier", equalTo("WARM"))
                .body("[0].hotDeleted", equalTo(true))
                .body("[0].uri", containsString("file:"));
        given().get("/api/v1/archive/segments/987654321").then().statusCode(404)
                .body("error", containsString("987654321"));

        given().get("/q/health/ready").then().statusCode(200).body(containsString("archive-store"));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("athanor_archive_tier_bytes{tier=\"warm\"}"))
                .body(containsString("athanor_archive_archived_segments_total"));
    }

    @Test
    @Order(2)
    void aProjectPolicyIsSetReadAndCheckedOverRest() throws Exception {
        HotLog hot = new HotLog(dataSource, config.hot().root(), ArchiveServiceResource.NODE, "rest-policy");
        given().get("/api/v1/projects/rest-policy/archive-policy").then().statusCode(200)
                .body("legalHold", equalTo(false));
        given().contentType("application/json")
                .body("{\"coldAfter\": \"P30D\", \"coldMinBytes\": 1048576, \"legalHold\": true, \"retention\": \"P365D\"}")
                .put("/api/v1/projects/rest-policy/archive-policy").then().statusCode(200)
                .body("coldAfter", equalTo("PT720H"))
                .body("retention", equalTo("PT8760H"))
                .body("coldMinBytes", equalTo(1048576))
                .body("legalHold", equalTo(true))
                .body("updatedBy", equalTo("anonymous"));
        given().get("/api/v1/projects/rest-policy/archive-policy").then().statusCode(200)
                .body("legalHold", equalTo(true));
        given().contentType("application/json").body("{\"retention\": \"a year\"}")
                .put("/api/v1/projects/rest-policy/archive-policy").then().statusCode(400)
                .body("where", equalTo("body.retention"));
        given().contentType("application/json").body("{\"retention\": \"P0D\"}")
                .put("/api/v1/projects/rest-policy/archive-policy").then().statusCode(400);
        given().contentType("application/json").body("{}")
                .put("/api/v1/projects/no-such-project/archive-policy").then().statusCode(404);
        given().get("/api/v1/projects/rest-policy/archive-deletions").then().statusCode(200)
                .body("size()", equalTo(0));

        // The filesystem store has no URLs to sign: share links say so.
        hot.segment(hot.run("r", "FINISHED"), 5);
        given().post("/api/v1/archive/passes").then().statusCode(200).body("archived", equalTo(1));
        given().contentType("application/json").body("{\"validFor\": \"PT1H\"}")
                .post("/api/v1/projects/rest-policy/experiments/{experiment}/share-links", hot.experiment())
                .then().statusCode(501).body("error", containsString("filesystem"));
        given().contentType("application/json").body("{\"validFor\": \"PT1H\"}")
                .post("/api/v1/projects/rest-policy/experiments/nope/share-links").then().statusCode(404);
        given().contentType("application/json").body("{\"validFor\": \"P30D\"}")
                .post("/api/v1/projects/rest-policy/experiments/nope/share-links").then().statusCode(400);
    }

    @Test
    @Order(3)
    void replicationIsRequestedOverRestMadeByAPassAndListed() throws Exception {
        HotLog hot = new HotLog(dataSource, config.hot().root(), ArchiveServiceResource.NODE, "rest-replica");
        HotLog.Segment segment = hot.segment(hot.run("r", "FINISHED"), 7);
        String path = "/api/v1/projects/rest-replica/experiments/{experiment}/replication";
        given().contentType("application/json").body("{\"destination\": \"dr\"}").post(path, hot.experiment())
                .then().statusCode(201).body("newRequest", equalTo(true));
        given().contentType("application/json").body("{\"destination\": \"dr\"}").post(path, hot.experiment())
                .then().statusCode(200).body("newRequest", equalTo(false));
        given().contentType("application/json").body("{\"destination\": \"elsewhere\"}").post(path, hot.experiment())
                .then().statusCode(400).body("where", equalTo("body.destination"))
                .body("error", containsString("[dr]"));
        given().contentType("application/json").body("{\"destination\": \"dr\"}")
                .post("/api/v1/projects/rest-replica/experiments/nope/replication").then().statusCode(404);

        given().post("/api/v1/archive/passes").then().statusCode(200);

        given().get(path, hot.experiment()).then().statusCode(200)
                .body("destinations", equalTo(java.util.List.of("dr")))
                .body("replicas.size()", equalTo(1))
                .body("replicas[0].state", equalTo("VERIFIED"))
                .body("replicas[0].uri", containsString("/replica/athanor/rest-replica/"))
                .body("replicas[0].sizeBytes", equalTo(segment.bytes().length));
        given().contentType("application/json").body("{\"destination\": \"dr\", \"reverify\": true}")
                .post(path, hot.experiment()).then().statusCode(200).body("toReverify", equalTo(1));
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("athanor_archive_replication_bytes_total{destination=\"dr\"}"));
    }

    @Test
    @Order(4)
    void damageFoundByAScrubStepIsListedCountedAndTurnsTheIntegrityCheckDownButNotReadiness() throws Exception {
        HotLog hot = new HotLog(dataSource, config.hot().root(), ArchiveServiceResource.NODE, "rest-scrub");
        HotLog.Segment segment = hot.segment(hot.run("r", "FINISHED"), 9);
        given().post("/api/v1/archive/passes").then().statusCode(200).body("archived", equalTo(1));
        given().get("/q/health/group/archive-integrity").then().statusCode(200);
        Path object = config.filesystem().root().resolve("athanor/" + segment.relativePath());
        byte[] damaged = segment.bytes().clone();
        damaged[damaged.length - 1] ^= 0x7f;
        Files.write(object, damaged);

        given().post("/api/v1/archive/scrubs").then().statusCode(200)
                .body("status", equalTo("RAN"))
                .body("damaged", equalTo(1));

        given().get("/api/v1/archive/damage").then().statusCode(200)
                .body("open", greaterThanOrEqualTo(1))   // the whole installation: other tests share the database
                .body("damage[0].project", equalTo("rest-scrub"))
                .body("damage[0].run", equalTo("r"))
                .body("damage[0].kind", equalTo("SEGMENT"))
                .body("damage[0].damage", equalTo("MISMATCH"))
                .body("damage[0].repair", equalTo("NONE"))
                .body("damage[0].uri", containsString("rest-scrub"))
                .body("damage[0].detail", containsString("read back"));
        given().get("/api/v1/archive/damage?limit=0").then().statusCode(400).body("error", containsString("limit"));
        given().get("/q/health/group/archive-integrity").then().statusCode(503)
                .body("checks[0].name", equalTo("archive-damage"))
                .body("checks[0].data.openDamage", equalTo(1));
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("athanor_archive_scrub_damaged 1.0"))
                .body(containsString("athanor_archive_scrub_last_step_seconds"))
                .body(containsString("athanor_archive_scrub_objects_total{kind=\"SEGMENT\",result=\"DAMAGED\"} 1.0"));
    }
}
