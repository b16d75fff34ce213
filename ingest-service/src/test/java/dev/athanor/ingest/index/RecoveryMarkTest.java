package dev.athanor.ingest.index;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.ingest.rawlog.RawLog;
import dev.athanor.ingest.testing.Events;
import dev.athanor.ingest.testing.IndexQueries;
import dev.athanor.ingest.testing.IngestClient;
import dev.athanor.ingest.testing.PostgresResource;
import dev.athanor.ingest.testing.UploadClient;
import dev.athanor.proto.ingest.v1.FinishRunRequest;
import dev.athanor.proto.ingest.v1.RunStatus;
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
import org.junit.jupiter.api.Test;

/**
 * In the running service, a run is in the list of runs to recover after a crash while it is live,
 * and leaves it once FinishRun sealed it and the indexer indexed it to the end.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class RecoveryMarkTest {

    @GrpcClient("ingest")
    Channel channel;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    RawLog rawLog;

    @Inject
    IndexScheduler scheduler;

    @Test
    void aFinishedIndexedRunLeavesTheListAndALiveOneStays() throws Exception {
        IngestClient client = new IngestClient(channel);
        IndexQueries db = new IndexQueries(dataSource);
        String exp = client.experiment("recovery-marks");
        upload(client, exp, "done");
        upload(client, exp, "live");
        long done = db.count("SELECT id FROM run WHERE experiment_id = ? AND path = 'done'", Long.parseLong(exp));
        long live = db.count("SELECT id FROM run WHERE experiment_id = ? AND path = 'live'", Long.parseLong(exp));
        Path marks = rawLog.hotRoot().resolve(".athanor.dirty");
        assertThat(marks.resolve(Long.toString(done))).exists();
        assertThat(marks.resolve(Long.toString(live))).exists();

        client.blocking.finishRun(FinishRunRequest.newBuilder().setExperimentId(exp).setRunPath("done")
                .setStatus(RunStatus.RUN_STATUS_FINISHED).build());
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (Files.exists(marks.resolve(Long.toString(done))) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(marks.resolve(Long.toString(done))).as("finished and indexed: nothing to recover").doesNotExist();
        scheduler.awaitCaughtUp(live, Duration.ofSeconds(30));
        assertThat(marks.resolve(Long.toString(live))).as("live: its open segment is sealed by recovery").exists();
    }

    private static void upload(IngestClient client, String exp, String run) throws Exception {
        UploadClient upload = new UploadClient(client.async);
        upload.send(Events.batch(1, exp, run, "events.out.tfevents.1.host", 0, List.of(Events.scalar("x", 1, 1))));
        assertThat(upload.finish().isOk()).isTrue();
        assertThat(upload.acks).singleElement().satisfies(a -> assertThat(a.getRecordsAccepted()).isEqualTo(1));
    }
}
