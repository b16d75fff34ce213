package dev.athanor.ingest.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.ingest.testing.Events;
import dev.athanor.ingest.testing.IndexQueries;
import dev.athanor.ingest.testing.IngestClient;
import dev.athanor.ingest.testing.PostgresResource;
import dev.athanor.ingest.testing.UploadClient;
import dev.athanor.ingest.upload.BatchWriter;
import io.agroal.api.AgroalDataSource;
import io.grpc.Channel;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Preparing the runs of queued batches ahead of their turn ({@link UploadStream}) leaves nothing
 * behind that the batches themselves would not have made: a run that does not exist yet is
 * created by its first batch's own turn, never ahead of it, so a stream that fails (or a batch
 * refused) before that turn leaves no empty run in the catalog and its listings.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class PrepareAheadTest {

    private static final String FILE = "events.out.tfevents.1.host";

    @GrpcClient("ingest")
    Channel channel;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    BatchWriter writer;

    @Test
    void preparingABatchOfARunThatDoesNotExistCreatesNoRunAndItsOwnTurnDoes() throws Exception {
        IngestClient client = new IngestClient(channel);
        IndexQueries db = new IndexQueries(dataSource);
        String exp = client.experiment("prepare-new-run");
        var batch = Events.batch(1, exp, "new", FILE, 0, List.of(Events.scalar("x", 1, 1)));

        writer.prepare(batch);
        assertThat(runs(db, exp)).isZero();

        writer.write(batch).durable().get();
        assertThat(runs(db, exp)).isOne();
    }

    @Test
    void aRunCreatedBeforeItsBatchesIsPreparedAheadAndWritten() throws Exception {
        IngestClient client = new IngestClient(channel);
        IndexQueries db = new IndexQueries(dataSource);
        String exp = client.experiment("prepare-created-run");
        long run = client.run(exp, "created");
        var batch = Events.batch(1, exp, "created", FILE, 0, List.of(Events.scalar("x", 1, 1)));

        writer.prepare(batch);
        assertThat(writer.write(batch).durable().get()).isPositive();
        assertThat(db.count("SELECT id FROM run WHERE experiment_id = ? AND path = 'created'", Long.parseLong(exp)))
                .isEqualTo(run);
    }

    @Test
    void aStreamThatFailsBeforeQueuedBatchesOfNewRunsLeavesNoEmptyRuns() throws Exception {
        IngestClient client = new IngestClient(channel);
        IndexQueries db = new IndexQueries(dataSource);
        String exp = client.experiment("prepare-failed-stream");
        List<dev.athanor.proto.ingest.v1.RecordBatch> batches = new ArrayList<>();
        // The first batch starts a run (PostgreSQL round trips: the others arrive meanwhile); the
        // second is refused (no records), after the runs of the queued ones were prepared ahead at
        // its turn: the stream fails before their turn.
        batches.add(Events.batch(0, exp, "lead", FILE, 0, List.of(Events.scalar("x", 1, 1))));
        batches.add(Events.batch(100, exp, "lead", FILE, Events.end(0, List.of(Events.scalar("x", 1, 1))), List.of()));
        for (int i = 0; i < 2 * UploadStream.PREPARE_AHEAD; i++) {
            batches.add(Events.batch(i + 1, exp, "sweep/run-" + i, FILE, 0, List.of(Events.scalar("x", 1, 1))));
        }
        UploadClient upload = new UploadClient(client.async);
        upload.sendAll(batches);
        Status status = upload.finish();
        assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        // Preparations run on their own threads; give any that started time to reach PostgreSQL, so
        // that one creating a run would be seen (the assertion cannot fail on correct code).
        Thread.sleep(500);
        assertThat(db.rows("SELECT path FROM run WHERE experiment_id = ?", Long.parseLong(exp)))
                .extracting(row -> row.get(0)).containsExactly("lead");
    }

    private static long runs(IndexQueries db, String exp) throws Exception {
        return db.count("SELECT count(*) FROM run WHERE experiment_id = ?", Long.parseLong(exp));
    }
}
