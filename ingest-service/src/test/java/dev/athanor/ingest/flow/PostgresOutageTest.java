package dev.athanor.ingest.flow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.ingest.index.IndexScheduler;
import com.google.protobuf.ByteString;
import dev.athanor.ingest.testing.Events;
import dev.athanor.ingest.testing.Golden;
import dev.athanor.ingest.testing.IndexQueries;
import dev.athanor.ingest.testing.IngestClient;
import dev.athanor.ingest.testing.PostgresControl;
import dev.athanor.ingest.testing.PostgresResource;
import dev.athanor.ingest.testing.SourceFiles;
import dev.athanor.ingest.testing.UploadClient;
import dev.athanor.proto.ingest.v1.BatchAck;
import dev.athanor.proto.ingest.v1.RecordBatch;
import dev.athanor.testing.Await;
import dev.athanor.tfevents.record.TfRecord;
import dev.athanor.tfevents.testing.Fixtures;
import io.agroal.api.AgroalDataSource;
import io.grpc.Channel;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import dev.athanor.ingest.rawlog.RawLog;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * PostgreSQL stops in the middle of an upload: acknowledgements stop at once, because a batch is
 * acknowledged only after the commit ledger (in PostgreSQL, shared by every replica so another
 * can take the run over) recorded it; the batches in flight wait in the journal, and the server
 * reads no more than max-inflight-batches. When PostgreSQL returns, the waiting batches are
 * recorded and acknowledged, indexing resumes, the upload completes, and the index holds every
 * point exactly once.
 */
@QuarkusTest
@TestProfile(PostgresOutageTest.SmallLagBound.class)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class PostgresOutageTest {

    static final long LAG_BOUND = 64 * 1024;

    public static class SmallLagBound implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "athanor.ingest.index.max-lag-bytes", Long.toString(LAG_BOUND),
                    "athanor.ingest.index.retry-delay", "PT0.05S",
                    "athanor.ingest.index.max-retry-delay", "PT0.5S",
                    "athanor.ingest.limits.max-inflight-batches", "2",
                    "athanor.ingest.index.state-idle-timeout", "PT0.1S",
                    "athanor.ingest.health.index-stall-after", "PT2S",
                    "quarkus.datasource.jdbc.acquisition-timeout", "1S");
        }
    }

    @GrpcClient("ingest")
    Channel channel;

    @Test
    void aRunWhoseIndexStateWasDroppedWhileIdleContinuesFromWhatIsStored() throws Exception {
        IngestClient client = new IngestClient(channel);
        String exp = client.experiment("idle");
        long runId = client.run(exp, "r");
        long offset = 0;
        long batchId = 1;
        for (int wave = 0; wave < 2; wave++) {
            List<ByteString> records = new java.util.ArrayList<>();
            for (int step = wave * 700; step < wave * 700 + 700; step++) {
                records.add(Events.scalar("y", step, step));
            }
            UploadClient up = new UploadClient(client.async);
            for (int i = 0; i < records.size(); i += 100) {
                List<ByteString> part = records.subList(i, i + 100);
                up.send(Events.batch(batchId++, exp, "r", "f", offset, part));
                offset = Events.end(offset, part);
            }
            assertThat(up.finish().isOk()).isTrue();
            scheduler.awaitCaughtUp(runId, Duration.ofSeconds(30));
            Thread.sleep(600); // longer than the idle timeout plus an idle poll of the indexer
            assertThat(scheduler.cachedRunStates()).as("idle run states dropped").isZero();
        }
        // Rewind after another idle period: the state is rebuilt from PostgreSQL first.
        UploadClient up = new UploadClient(client.async);
        up.send(Events.batch(batchId, exp, "r", "g", 0, List.of(Events.scalar("y", 1200, -1))));
        assertThat(up.finish().isOk()).isTrue();
        scheduler.awaitCaughtUp(runId, Duration.ofSeconds(30));
        IndexQueries sql = new IndexQueries(dataSource);
        List<IndexQueries.Point> points = sql.scalars(runId).get("y");
        assertThat(points).hasSize(1201);
        assertThat(points.getLast().value()).isEqualTo(-1);
        assertThat(sql.rows("""
                SELECT c.point_count FROM scalar_chunk c JOIN series s ON s.id = c.series_id
                WHERE s.run_id = ? ORDER BY c.first_step""", runId))
                .extracting(r -> ((Number) r.get(0)).intValue()).containsExactly(1000, 201);
        assertThat(sql.count("SELECT point_count FROM series WHERE run_id = ?", runId)).isEqualTo(1201);
    }

    @TestHTTPResource("/q/health/ready")
    URI ready;

    @Inject
    RawLog rawLog;

    /**
     * Readiness names a stalled index: with PostgreSQL stopped and a run to index, the indexer
     * fails on it longer than index-stall-after and readiness turns DOWN naming the run and the
     * failure; once PostgreSQL is back the next transaction succeeds and readiness is UP by itself.
     * (Work reaches the indexer when the ledger recorded it, so during an outage it is what was
     * pending before, or a run looked at again — here the test asks for that look.)
     */
    @Test
    void readinessIsDownWhileTheIndexStallsAndUpWhenItMovesAgain() throws Exception {
        IngestClient client = new IngestClient(channel);
        String exp = client.experiment("stall");
        long runId = client.run(exp, "r");
        UploadClient up = new UploadClient(client.async);
        up.send(Events.batch(1, exp, "r", "f", 0, List.of(Events.scalar("y", 0, 1))));
        assertThat(up.finish().isOk()).isTrue();
        scheduler.awaitCaughtUp(runId, Duration.ofSeconds(30));
        assertThat(readiness().statusCode()).isEqualTo(200);

        PostgresControl.stop();
        try {
            scheduler.schedule(rawLog.opened(runId).orElseThrow());
            HttpResponse<String> down = awaitReadiness(503, Duration.ofSeconds(60));
            assertThat(down.body()).contains("index-progress", "the indexer has failed on run " + runId,
                    "athanor.ingest.health.index-stall-after", "last failure");
        } finally {
            PostgresControl.start();
        }
        HttpResponse<String> up2 = awaitReadiness(200, Duration.ofSeconds(60));
        assertThat(up2.body()).contains("index-progress");
    }

    private HttpResponse<String> readiness() throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> awaitReadiness(int status, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpResponse<String> response = readiness();
        while (response.statusCode() != status && System.nanoTime() < deadline) {
            Thread.sleep(200);
            response = readiness();
        }
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return response;
    }

    @Inject
    AgroalDataSource dataSource;

    @Inject
    IndexScheduler scheduler;

    @Inject
    IndexLagGate gate;

    @Test
    void acknowledgementsStopWhilePostgresIsDownAndResumeWithNothingLost() throws Exception {
        IngestClient client = new IngestClient(channel);
        String exp = client.experiment("outage");
        long runId = client.run(exp, "lightning");
        Path file = Fixtures.file(
                "carlschader-labeled-contrastive-framework/lightning_logs/version_0/events.out.tfevents.1713773043.carls-gaming-linux.286970.0");
        List<TfRecord> records = SourceFiles.records(file);
        List<RecordBatch> batches = SourceFiles.batches(exp, "lightning", file.getFileName().toString(), records, 0,
                100, 1);

        // The first batch makes this replica the run's owner (its lease is taken in PostgreSQL);
        // the owner keeps writing through the outage for as long as the lease lasts.
        UploadClient upload = new UploadClient(client.async);
        upload.send(batches.getFirst());
        Await.until("the first batch's ack (or the stream's end)", Duration.ofSeconds(30), Duration.ofMillis(10),
                () -> !upload.acks.isEmpty() || upload.done.isDone());
        assertThat(upload.acks).as("the first batch, before the outage").hasSize(1);
        PostgresControl.stop();
        upload.sendAll(batches.subList(1, batches.size()));
        Thread.sleep(3000);
        assertThat(upload.acks).as("acknowledged while PostgreSQL is down").hasSize(1);
        assertThat(upload.done).isNotDone();

        PostgresControl.start();
        Status status = upload.finish();
        assertThat(status.isOk()).as(String.valueOf(status)).isTrue();
        assertThat(upload.acks.stream().mapToLong(BatchAck::getRecordsAccepted).sum()).isEqualTo(records.size());
        scheduler.awaitCaughtUp(runId, Duration.ofSeconds(60));

        var expected = Golden.scalars(List.of(file));
        var actual = new IndexQueries(dataSource).scalars(runId);
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        for (var e : expected.entrySet()) {
            assertThat(actual.get(e.getKey())).as(e.getKey()).usingElementComparator(IndexQueries.Point::compareTo)
                    .containsExactlyElementsOf(e.getValue());
        }
        assertThat(gate.lagBytes()).isZero();
    }
}
