package dev.athanor.query.archive;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.archive.store.Crc32c;
import dev.athanor.archive.store.StorageTier;
import dev.athanor.query.archive.store.ArchiveStoreHolder;
import dev.athanor.query.config.QueryConfig;
import dev.athanor.query.testing.FixtureIndexer;
import dev.athanor.query.testing.IndexTestData;
import dev.athanor.query.testing.PostgresResource;
import dev.athanor.tfevents.testing.Fixtures;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

/**
 * Blobs of archived segments over REST: a warm copy is read as if it were hot; a cold copy (the
 * test archive's cold tier needs a one-hour restore, like S3 Glacier) answers 409 RESTORING with a
 * status URL, and the archive endpoints report it.
 */
@QuarkusTest
@QuarkusTestResource(PostgresResource.class)
class ArchiveResourceTest {

    private static final String CUSTOM_LOOP = "generated/tf_summary/custom_loop/events.out.tfevents.1795729064.vm.29665.0.v2";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    QueryConfig config;

    @Inject
    ArchiveStoreHolder archive;

    private record Indexed(long runId, long segmentId, IndexTestData.RawSegment segment) {
    }

    private Indexed index(String name) {
        IndexTestData data = new IndexTestData(dataSource);
        long experiment = data.experiment(IndexTestData.unique(name));
        FixtureIndexer.IndexedRun run = FixtureIndexer.index(data, config.raw().hotRoot(), experiment, "run",
                Fixtures.file(CUSTOM_LOOP));
        String relative = "exp-" + experiment + "/run/" + Fixtures.file(CUSTOM_LOOP).getFileName();
        long segmentId = segmentId(relative);
        Path file = config.raw().hotRoot().resolve(relative);
        return new Indexed(run.runId(), segmentId, new IndexTestData.RawSegment(segmentId, file, null, null));
    }

    private long segmentId(String relativePath) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT id FROM raw_segment WHERE relative_path = ?")) {
            ps.setString(1, relativePath);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What archive-service does: copy, verify, record, remove the hot file. */
    private void archiveSegment(Indexed run, StorageTier tier) throws Exception {
        String key = "athanor/" + config.raw().hotRoot().relativize(run.segment().file());
        Crc32c.Digest digest = Crc32c.of(run.segment().file());
        archive.get().put(key, run.segment().file(), digest.size(), digest.crc32c(), tier);
        new IndexTestData(dataSource).archived(run.runId(), run.segment(), archive.name(), key, tier.name(),
                digest.crc32c());
    }

    private static Response image(long runId) {
        return given().queryParam("tag", "samples").queryParam("step", 0).queryParam("index", 2)
                .get("/api/v1/runs/" + runId + "/blobs/data");
    }

    @Test
    void aWarmArchivedImageIsServedFromTheArchive() throws Exception {
        Indexed run = index("warm");
        byte[] hot = image(run.runId()).then().statusCode(200).extract().asByteArray();
        archiveSegment(run, StorageTier.WARM);
        assertThat(run.segment().file()).doesNotExist();
        byte[] archived = image(run.runId()).then().statusCode(200).extract().asByteArray();
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
        Indexed run = index("cold");
        archiveSegment(run, StorageTier.COLD);
        Response first = image(run.runId());
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
        Indexed run = index("hot");
        given().get("/api/v1/runs/" + run.runId() + "/archive/segments/" + run.segmentId()).then().statusCode(404);
        given().get("/api/v1/runs/999999999/archive").then().statusCode(404);
    }
}
