package dev.athanor.uploader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.tfevents.event.EventFileWriter;
import dev.athanor.uploader.testing.FakeIngestServer;
import dev.athanor.uploader.testing.IngestStore;
import dev.athanor.uploader.testing.TestLogdir;
import dev.athanor.uploader.testing.TestOptions;
import io.grpc.Status;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --endpoint A,B}: round robin per connection. Two fake replicas share one store (as
 * replicas share PostgreSQL); a session stays on one address and every reconnect goes to the next.
 */
class EndpointListTest {

    @TempDir
    Path dir;
    final IngestStore store = new IngestStore();
    FakeIngestServer a;
    FakeIngestServer b;
    TestOptions test = new TestOptions();

    @BeforeEach
    void start() throws Exception {
        a = new FakeIngestServer(store).start();
        b = new FakeIngestServer(store).start();
    }

    @AfterEach
    void stop() throws Exception {
        a.close();
        b.close();
    }

    private TestLogdir logdir(int records) throws Exception {
        TestLogdir logdir = new TestLogdir(dir);
        try (EventFileWriter w = logdir.newFile("train")) {
            TestLogdir.writeScalars(w, "loss", 0, records, 0);
        }
        return logdir;
    }

    @Test
    void theFirstConnectionGoesToTheChosenAddressAndStaysThere() throws Exception {
        TestLogdir logdir = logdir(2000);

        UploadResult result = Uploader.run(test.builder(dir, a.endpoint() + "," + b.endpoint())
                .once(true).firstEndpoint(1).build());

        assertThat(result.outcome()).as(test.output()).isEqualTo(Outcome.SUCCESS);
        assertThat(b.calls("Upload")).isEqualTo(1);
        assertThat(b.calls("GetCommittedOffsets")).isEqualTo(1);
        assertThat(a.totalCalls()).as("nothing of the session went to the other address").isZero();
        assertThat(test.output()).contains("connected to " + b.endpoint());
        logdir.assertUploadedExactly(store, result.experimentId());
    }

    @Test
    void aRefusalSendsTheNextConnectionToTheNextAddress() throws Exception {
        TestLogdir logdir = logdir(2000);
        // A replica that does not own the run refuses: UNAVAILABLE, and the uploader retries.
        a.failNextCalls(1, Status.UNAVAILABLE.withDescription("run is owned by another replica"));

        UploadResult result = Uploader.run(test.builder(dir, a.endpoint() + "," + b.endpoint())
                .once(true).firstEndpoint(0).build());

        assertThat(result.outcome()).as(test.output()).isEqualTo(Outcome.SUCCESS);
        assertThat(a.calls("Upload")).isZero();
        assertThat(b.calls("Upload")).isEqualTo(1);
        assertThat(test.output()).contains("connected to " + b.endpoint());
        logdir.assertUploadedExactly(store, result.experimentId());
    }

    @Test
    void aDroppedStreamResumesOnTheNextAddressSoBatchesReachBoth() throws Exception {
        TestLogdir logdir = logdir(5000);
        a.dropStreamAfterBatches(2);

        UploadResult result = Uploader.run(test.builder(dir, a.endpoint() + "," + b.endpoint())
                .once(true).firstEndpoint(0).maxBatchBytes(4096).build());

        assertThat(result.outcome()).as(test.output()).isEqualTo(Outcome.SUCCESS);
        assertThat(a.calls("Upload")).isEqualTo(1);
        assertThat(b.calls("Upload")).isEqualTo(1);
        assertThat(a.streamsDropped()).as("batches reached the first address before its stream was cut").isEqualTo(1);
        logdir.assertUploadedExactly(store, result.experimentId());
    }

    @Test
    void aDownAddressIsSkippedByTheRetry() throws Exception {
        TestLogdir logdir = logdir(100);
        String down = a.endpoint();
        a.close();

        UploadResult result = Uploader.run(test.builder(dir, down + "," + b.endpoint()).once(true).firstEndpoint(0).build());

        assertThat(result.outcome()).as(test.output()).isEqualTo(Outcome.SUCCESS);
        assertThat(b.calls("Upload")).isEqualTo(1);
        logdir.assertUploadedExactly(store, result.experimentId());
    }

    @Test
    void aDnsTargetUploadsThroughGrpcsResolverAndRoundRobinPolicy() throws Exception {
        TestLogdir logdir = logdir(300);

        UploadResult result = Uploader.run(test.builder(dir, "dns:///127.0.0.1:" + b.port()).once(true).build());

        assertThat(result.outcome()).as(test.output()).isEqualTo(Outcome.SUCCESS);
        assertThat(test.output()).contains("connected to dns:///127.0.0.1:" + b.port());
        logdir.assertUploadedExactly(store, result.experimentId());
    }

    @Test
    void aBadListIsAnUnusableOption() {
        UploadResult result = Uploader.run(test.builder(dir, a.endpoint() + ",,").once(true).build());

        assertThat(result.outcome()).isEqualTo(Outcome.INVALID_OPTIONS);
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.message()).contains("item 2 of the endpoint list").contains("is empty");
    }
}
