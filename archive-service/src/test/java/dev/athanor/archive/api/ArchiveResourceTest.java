package dev.athanor.archive.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.athanor.archive.config.ArchiveConfig;
import dev.athanor.archive.testing.ArchiveServiceResource;
import dev.athanor.archive.testing.HotLog;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(ArchiveServiceResource.class)
class ArchiveResourceTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ArchiveConfig config;

    @Test
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
}
