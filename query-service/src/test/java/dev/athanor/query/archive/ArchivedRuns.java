package dev.athanor.query.archive;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.archive.store.Crc32c;
import dev.athanor.archive.store.StorageTier;
import dev.athanor.query.archive.store.ArchiveStoreHolder;
import dev.athanor.query.config.QueryConfig;
import dev.athanor.query.testing.FixtureIndexer;
import dev.athanor.query.testing.IndexTestData;
import dev.athanor.tfevents.testing.Fixtures;
import io.agroal.api.AgroalDataSource;
import io.restassured.response.Response;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** A fixture run with images indexed into the test database, then archived the way archive-service does it. */
final class ArchivedRuns {

    static final String CUSTOM_LOOP = "generated/tf_summary/custom_loop/events.out.tfevents.1795729064.vm.29665.0.v2";

    record Indexed(long runId, long segmentId, IndexTestData.RawSegment segment) {
    }

    private final AgroalDataSource dataSource;
    private final QueryConfig config;
    private final ArchiveStoreHolder archive;

    ArchivedRuns(AgroalDataSource dataSource, QueryConfig config, ArchiveStoreHolder archive) {
        this.dataSource = dataSource;
        this.config = config;
        this.archive = archive;
    }

    Indexed index(String name) {
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
    void archive(Indexed run, StorageTier tier) throws Exception {
        String key = "athanor/" + config.raw().hotRoot().relativize(run.segment().file());
        Crc32c.Digest digest = Crc32c.of(run.segment().file());
        archive.get().put(key, run.segment().file(), digest.size(), digest.crc32c(), tier);
        new IndexTestData(dataSource).archived(run.runId(), run.segment(), archive.name(), key, tier.name(),
                digest.crc32c());
    }

    /** The third image of step 0 of the fixture's "samples" tag. */
    static Response image(long runId) {
        return given().queryParam("tag", "samples").queryParam("step", 0).queryParam("index", 2)
                .get("/api/v1/runs/" + runId + "/blobs/data");
    }

    /** That image's bytes, failing with the error body when it is not served. */
    static byte[] imageBytes(long runId) {
        Response response = image(runId);
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        return response.asByteArray();
    }
}
