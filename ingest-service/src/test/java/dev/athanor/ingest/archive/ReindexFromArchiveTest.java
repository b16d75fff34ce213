package dev.athanor.ingest.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.archive.store.Crc32c;
import dev.athanor.archive.store.StorageTier;
import dev.athanor.archive.store.fs.FilesystemObjectStore;
import dev.athanor.ingest.index.IndexScheduler;
import dev.athanor.ingest.index.Reindexer;
import dev.athanor.ingest.rawlog.RawLog;
import dev.athanor.ingest.testing.IndexQueries;
import dev.athanor.ingest.testing.IngestClient;
import dev.athanor.ingest.testing.PostgresResource;
import dev.athanor.proto.ingest.v1.FinishRunRequest;
import dev.athanor.proto.ingest.v1.IngestAdminServiceGrpc;
import dev.athanor.proto.ingest.v1.ReindexRequest;
import dev.athanor.proto.ingest.v1.RunStatus;
import dev.athanor.tfevents.testing.Fixtures;
import io.agroal.api.AgroalDataSource;
import io.grpc.Channel;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Reindex when the run's segments live only in the archive: the indexer fetches each archived copy
 * through the catalog, checks it against the recorded size and CRC32C, and the rebuilt index equals
 * the one built from the hot log.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class ReindexFromArchiveTest {

    private static final String FILE = "generated/tf_summary/custom_loop/events.out.tfevents.1795729064.vm.29665.0.v2";
    /** Series, tensor points and blob points of a run, in one number. */
    private static final String INDEX_SNAPSHOT = """
            SELECT (SELECT count(*) FROM series WHERE run_id = ?)
                 + (SELECT count(*) FROM tensor_point t JOIN series s ON s.id = t.series_id WHERE s.run_id = ?) * 1000
                 + (SELECT count(*) FROM blob_sequence_point b JOIN series s ON s.id = b.series_id WHERE s.run_id = ?)
                   * 1000000""";

    @GrpcClient("ingest")
    Channel channel;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    IndexScheduler scheduler;

    @Inject
    Reindexer reindexer;

    @Inject
    RawLog rawLog;

    @ConfigProperty(name = "athanor.archive.filesystem.root")
    Path archiveRoot;

    private long ingest(String experiment) throws Exception {
        IngestClient client = new IngestClient(channel);
        String exp = client.experiment(experiment);
        long runId = client.run(exp, "r");
        client.upload(exp, "r", List.of(Fixtures.file(FILE)), 20);
        client.blocking.finishRun(FinishRunRequest.newBuilder().setExperimentId(exp).setRunPath("r")
                .setStatus(RunStatus.RUN_STATUS_FINISHED).build());
        scheduler.awaitCaughtUp(runId, Duration.ofSeconds(30));
        IndexQueries sql = new IndexQueries(dataSource);
        for (int i = 0; i < 300 && sql.count("SELECT count(*) FROM raw_segment WHERE run_id = ?"
                + " AND (state <> 'SEALED' OR crc32c IS NULL)", runId) > 0; i++) {
            Thread.sleep(100);
        }
        return runId;
    }

    /** What archive-service does: a verified copy in the store, the hot file marked removed and deleted. */
    private void archive(long runId) throws Exception {
        FilesystemObjectStore store = new FilesystemObjectStore(archiveRoot);
        IndexQueries sql = new IndexQueries(dataSource);
        for (var row : sql.rows("SELECT id, relative_path, crc32c FROM raw_segment WHERE run_id = ?", runId)) {
            Path hot = rawLog.hotRoot().resolve((String) row.get(1));
            Crc32c.Digest digest = Crc32c.of(hot);
            assertThat(digest.crc32c()).isEqualTo(((Number) row.get(2)).longValue());
            String key = "athanor/" + row.get(1);
            store.put(key, hot, digest.size(), digest.crc32c(), StorageTier.WARM);
            sql.rows("""
                    INSERT INTO archive_object (segment_id, run_id, store, tier, uri, object_key, size_bytes, crc32c,
                        state, verified_at) VALUES (?, ?, 'primary', 'WARM', ?, ?, ?, ?, 'VERIFIED', now()) RETURNING id""",
                    row.get(0), runId, store.uri(key).toString(), key, digest.size(), digest.crc32c());
            sql.rows("UPDATE raw_segment SET hot_deleted_at = now() WHERE id = ? RETURNING id", row.get(0));
            Files.delete(hot);
        }
    }

    @Test
    void aRunWhoseSegmentsAreOnlyInTheArchiveReindexesToTheSameIndex() throws Exception {
        long runId = ingest("reindex-archive");
        IndexQueries sql = new IndexQueries(dataSource);
        var scalars = sql.scalars(runId);
        long snapshot = sql.count(INDEX_SNAPSHOT, runId, runId, runId);
        assertThat(scalars).isNotEmpty();
        assertThat(snapshot).isGreaterThan(1_000_000);

        archive(runId);
        long experimentId = sql.count("SELECT experiment_id FROM run WHERE id = ?", runId);
        IngestAdminServiceGrpc.newBlockingStub(channel).reindex(ReindexRequest.newBuilder()
                .setExperimentId(Long.toString(experimentId)).build());

        var rebuilt = sql.scalars(runId);
        assertThat(rebuilt.keySet()).isEqualTo(scalars.keySet());
        for (var tag : scalars.entrySet()) {
            assertThat(rebuilt.get(tag.getKey())).usingElementComparator(IndexQueries.Point::compareTo)
                    .containsExactlyElementsOf(tag.getValue());
        }
        assertThat(sql.count(INDEX_SNAPSHOT, runId, runId, runId)).isEqualTo(snapshot);
        assertThat(sql.count("SELECT count(*) FROM ingest_problem WHERE run_id = ?", runId)).isZero();
        // The fetched copies were temporary.
        try (var left = Files.list(rawLog.hotRoot().resolveSibling(rawLog.hotRoot().getFileName() + ".archive-fetch"))) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aCopyThatDiffersFromTheCatalogIsNotIndexed() throws Exception {
        long runId = ingest("reindex-archive-damaged");
        archive(runId);
        IndexQueries sql = new IndexQueries(dataSource);
        String key = "athanor/" + sql.rows("SELECT relative_path FROM raw_segment WHERE run_id = ?", runId)
                .getFirst().get(0);
        Path object = archiveRoot.resolve(key);
        byte[] good = Files.readAllBytes(object);
        byte[] bad = good.clone();
        bad[bad.length / 2] ^= 1;
        Files.write(object, bad);
        try {
            assertThatThrownBy(() -> reindexer.reindexRun(runId, Duration.ofSeconds(5)))
                    .isInstanceOf(TimeoutException.class);
            // Nothing was indexed from the damaged copy.
            assertThat(sql.count("SELECT count(*) FROM blob_sequence_point b JOIN series s ON s.id = b.series_id"
                    + " WHERE s.run_id = ?", runId)).isZero();
        } finally {
            // The indexer keeps retrying; with the copy repaired it catches up.
            Files.write(object, good);
        }
        scheduler.awaitCaughtUp(runId, Duration.ofSeconds(60));
        assertThat(sql.count("SELECT count(*) FROM blob_sequence_point b JOIN series s ON s.id = b.series_id"
                + " WHERE s.run_id = ?", runId)).isPositive();
    }
}
