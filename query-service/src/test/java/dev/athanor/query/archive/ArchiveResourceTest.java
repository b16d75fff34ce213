package dev.athanor.query.archive;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.archive.store.StorageTier;
import dev.athanor.query.archive.store.ArchiveStoreHolder;
import dev.athanor.query.config.QueryConfig;
import dev.athanor.query.testing.PostgresResource;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Blobs of archived segments over REST: a warm copy is read as if it were hot; a cold copy (the
 * test archive's cold tier needs a one-hour restore, like S3 Glacier) answers 409 RESTORING with a
 * status URL, and the archive endpoints report it.
 */
@Tag("quarkus")
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ArchiveResourceTest {

    @Inject
    AgroalDataSource dataSource;

    @Inject
    QueryConfig config;

    @Inject
    ArchiveStoreHolder archive;

    private ArchivedRuns runs() {
        return new ArchivedRuns(dataSource, config, archive);
    }

    @Test
    void aWarmArchivedImageIsServedFromTheArchive() throws Exception {
        ArchivedRuns.Indexed run = runs().index("warm");
        byte[] hot = ArchivedRuns.image(run.runId()).then().statusCode(200).extract().asByteArray();
        runs().archive(run, StorageTier.WARM);
        assertThat(run.segment().file()).doesNotExist();
        byte[] archived = ArchivedRuns.image(run.runId()).then().statusCode(200).extract().asByteArray();
        assertThat(archived).isEqualTo(hot).hasSizeGreaterThan(100);

        JsonPath listing = given().get("/api/v1/runs/" + run.runId() + "/archive").then().statusCode(200).extract()
                .jsonPath();
        assertThat(listing.getBoolean("segments[0].hot")).isFalse();
        assertThat(listing.getString("segments[0].archiveTier")).isEqualTo("WARM");
        assertThat(given().get("/api/v1/runs/" + run.runId() + "/archive/segments/" + run.segmentId()).then()
                .statusCode(200).extract().jsonPath().getString("state")).isEqualTo("READABLE");
    }

    @Test
    void aColdArchivedImageStartsARestoreAndSaysSo() throws Exception {
        ArchivedRuns.Indexed run = runs().index("cold");
        runs().archive(run, StorageTier.COLD);
        Response first = ArchivedRuns.image(run.runId());
        assertThat(first.statusCode()).as(first.asString()).isEqualTo(409);
        assertThat(first.header("Retry-After")).isEqualTo("60");
        JsonPath body = first.jsonPath();
        assertThat(body.getString("error")).isEqualTo("RESTORING");
        assertThat(body.getString("restore.state")).isEqualTo("RESTORING");
        String statusUrl = body.getString("restore.statusUrl");
        assertThat(statusUrl).isEqualTo("/api/v1/runs/" + run.runId() + "/archive/segments/" + run.segmentId());

        assertThat(given().get(statusUrl).then().statusCode(200).extract().jsonPath().getString("state"))
                .isEqualTo("RESTORING");
        assertThat(given().get("/api/v1/runs/" + run.runId() + "/archive").then().statusCode(200).extract()
                .jsonPath().getString("segments[0].restoreState")).isEqualTo("RESTORING");
        assertThat(given().post("/api/v1/runs/" + run.runId() + "/archive/restores").then().statusCode(202)
                .extract().jsonPath().getString("[0].state")).isEqualTo("RESTORING");
        // Scalars come from the index and do not wait for the restore.
        given().queryParam("run", run.runId()).queryParam("tag", "loss").get("/api/v1/scalars").then().statusCode(200);
    }

    @Test
    void aSegmentThatIsNotArchivedIsNotFound() {
        ArchivedRuns.Indexed run = runs().index("hot");
        given().get("/api/v1/runs/" + run.runId() + "/archive/segments/" + run.segmentId()).then().statusCode(404);
        given().get("/api/v1/runs/999999999/archive").then().statusCode(404);
    }
}
