package dev.athanor.ingest.rawlog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.ingest.archive.CatalogHotDeletedSegments;
import dev.athanor.ingest.config.IngestConfig;
import dev.athanor.ingest.index.IndexScheduler;
import dev.athanor.ingest.testing.IndexQueries;
import dev.athanor.ingest.testing.IngestClient;
import dev.athanor.ingest.testing.PostgresResource;
import dev.athanor.ingest.testing.SourceFiles;
import dev.athanor.proto.ingest.v1.FinishRunRequest;
import dev.athanor.proto.ingest.v1.RunStatus;
import dev.athanor.tfevents.record.TfRecord;
import dev.athanor.tfevents.testing.Fixtures;
import com.google.protobuf.ByteString;
import io.agroal.api.AgroalDataSource;
import io.grpc.Channel;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * Sealed segments get their CRC32C in the catalog, and a run whose segments the archive removed
 * from hot storage opens again after a restart (a fresh RawLog on the same volume and catalog)
 * and keeps accepting records.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class HotDeletedSegmentsTest {

    private static final String FILE = "generated/tf_summary/custom_loop/events.out.tfevents.1795729064.vm.29665.0.v2";

    @GrpcClient("ingest")
    Channel channel;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    IndexScheduler scheduler;

    @Inject
    IngestConfig config;

    @Inject
    CatalogHotDeletedSegments catalog;

    @Inject
    RawLog rawLog;

    @Inject
    CommitLedger ledger;

    @Test
    void aRunWithArchivedSegmentsRecoversAndTakesMoreRecords() throws Exception {
        IngestClient client = new IngestClient(channel);
        String exp = client.experiment("archived-hot");
        long runId = client.run(exp, "r");
        Path file = Fixtures.file(FILE);
        client.upload(exp, "r", List.of(file), 20);
        client.blocking.finishRun(FinishRunRequest.newBuilder().setExperimentId(exp).setRunPath("r")
                .setStatus(RunStatus.RUN_STATUS_FINISHED).build());
        scheduler.awaitCaughtUp(runId, Duration.ofSeconds(30));
        IndexQueries sql = new IndexQueries(dataSource);
        awaitSealed(sql, runId);

        // Ingest recorded each sealed segment's CRC32C: the same as the file's.
        var rows = sql.rows("SELECT relative_path, crc32c FROM raw_segment WHERE run_id = ? AND state = 'SEALED'", runId);
        assertThat(rows).isNotEmpty();
        for (var row : rows) {
            Path segment = rawLog.hotRoot().resolve((String) row.get(0));
            CRC32C crc = new CRC32C();
            crc.update(Files.readAllBytes(segment));
            assertThat(((Number) row.get(1)).longValue()).as("crc32c of %s", row.get(0)).isEqualTo(crc.getValue());
        }

        // The archive removes the hot files after verifying their copies.
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE raw_segment SET hot_deleted_at = now() WHERE run_id = ?")) {
            ps.setLong(1, runId);
            ps.executeUpdate();
        }
        for (var row : rows) {
            Files.delete(rawLog.hotRoot().resolve((String) row.get(0)));
        }
        RunIdentity identity = new RunIdentity(runId, Long.parseLong(exp), "default", "archived-hot", "r");
        assertThat(catalog.of(identity)).hasSize(rows.size());

        // A restarted replica (a fresh RawLog on the same hot root and catalog) opens the run and
        // appends to it.
        RawLog restarted = new RawLog(config, catalog, ledger);
        try {
            RunLog log = restarted.open(identity);
            assertThat(log.hotDeletedSegments()).hasSize(rows.size());
            long end = Files.size(file);
            assertThat(log.committedOffsets()).containsEntry(file.getFileName().toString(), end);
            List<TfRecord> records = SourceFiles.records(file);
            List<ByteString> payloads = records.stream().map(r -> ByteString.copyFrom(r.payload())).toList();
            assertThat(log.append(file.getFileName().toString(), 0, payloads).duplicates()).isEqualTo(records.size());
            AppendResult more = log.append("later.tfevents", 0, payloads.subList(0, 3));
            restarted.commitSoon(log);
            assertThat(more.durable().get(10, TimeUnit.SECONDS)).isPositive();
        } finally {
            restarted.onShutdown(null);
        }
    }

    private static void awaitSealed(IndexQueries sql, long runId) throws Exception {
        for (int i = 0; i < 300; i++) {
            if (sql.count("SELECT count(*) FROM raw_segment WHERE run_id = ? AND state <> 'SEALED'", runId) == 0) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("segments of run " + runId + " were not sealed");
    }
}
