package dev.athanor.ingest.index;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.athanor.ingest.testing.Events;
import dev.athanor.ingest.testing.IndexQueries;
import dev.athanor.ingest.testing.IngestClient;
import dev.athanor.ingest.testing.PostgresResource;
import dev.athanor.ingest.testing.UploadClient;
import dev.athanor.testing.Await;
import io.agroal.api.AgroalDataSource;
import io.grpc.Channel;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A run whose index transactions keep failing with a transient fault backs off on its own: the
 * only index thread goes on indexing another run while the failing one waits, and the failing
 * one is retried after delays that double, then indexed once the fault is gone.
 */
@QuarkusTest
@TestProfile(FailingRunBackoffTest.OneIndexThread.class)
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class FailingRunBackoffTest {

    private static final String FILE = "events.out.tfevents.15.host";
    private static final long FIRST_DELAY_MS = 1000;

    public static class OneIndexThread implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "athanor.ingest.index.threads", "1",
                    "athanor.ingest.index.retry-delay", "PT" + FIRST_DELAY_MS / 1000 + "S",
                    "athanor.ingest.index.max-retry-delay", "PT60S");
        }
    }

    @GrpcClient("ingest")
    Channel channel;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    IndexScheduler scheduler;

    @Test
    void aRunFailingAgainAndAgainDoesNotHoldUpAnotherRunOnTheOneIndexThread() throws Exception {
        IngestClient client = new IngestClient(channel);
        String exp = client.experiment("one-failing-run");
        long failing = client.run(exp, "failing");
        long healthy = client.run(exp, "healthy");
        // A serialization failure (SQLState 40001, transient) whenever the failing run's series is created.
        sql("""
                CREATE FUNCTION fail_flaky() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                  IF NEW.tag = 'flaky' THEN
                    RAISE EXCEPTION 'failing for the test' USING ERRCODE = '40001';
                  END IF;
                  RETURN NEW;
                END $$""",
                "CREATE TRIGGER fail_flaky BEFORE INSERT ON series FOR EACH ROW EXECUTE FUNCTION fail_flaky()");
        try {
            upload(client, exp, "failing", List.of(Events.scalar("flaky", 1, 0.5), Events.scalar("flaky", 2, 0.25)));
            // Its first three failures: it waits 1 s, 2 s, then 4 s.
            List<Long> delays = new ArrayList<>();
            Await.until("three failures of the failing run", Duration.ofSeconds(60), Duration.ofMillis(10), () -> {
                IndexScheduler.PendingRetry pending = scheduler.pendingRetry(failing);
                if (pending != null && (delays.isEmpty() || delays.getLast() != pending.delayMillis())) {
                    delays.add(pending.delayMillis());
                }
                return delays.size() >= 3;
            });
            assertThat(delays).containsExactly(FIRST_DELAY_MS, 2 * FIRST_DELAY_MS, 4 * FIRST_DELAY_MS);
            IndexScheduler.PendingRetry waiting = scheduler.pendingRetry(failing);

            upload(client, exp, "healthy", List.of(Events.scalar("loss", 1, 0.75), Events.scalar("loss", 2, 0.125)));
            scheduler.awaitCaughtUp(healthy, Duration.ofSeconds(30));
            assertThat(scheduler.pendingRetry(failing))
                    .as("the healthy run was indexed while the failing one waited out its backoff")
                    .isEqualTo(waiting);
            assertThat(System.nanoTime()).isLessThan(waiting.dueNanos());
            IndexQueries db = new IndexQueries(dataSource);
            assertThat(db.scalars(healthy).get("loss")).extracting(IndexQueries.Point::value).containsExactly(0.75, 0.125);
            assertThat(scheduler.isCaughtUp(failing)).isFalse();
        } finally {
            sql("DROP TRIGGER fail_flaky ON series", "DROP FUNCTION fail_flaky()");
        }
        // The fault is gone: its next retry indexes it, and its backoff starts afresh.
        scheduler.awaitCaughtUp(failing, Duration.ofSeconds(60));
        assertThat(scheduler.pendingRetry(failing)).isNull();
        assertThat(new IndexQueries(dataSource).scalars(failing).get("flaky"))
                .extracting(IndexQueries.Point::value).containsExactly(0.5, 0.25);
    }

    private void sql(String... statements) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
            for (String s : statements) {
                st.execute(s);
            }
        }
    }

    private static void upload(IngestClient client, String exp, String run, List<ByteString> records)
            throws Exception {
        UploadClient upload = new UploadClient(client.async);
        upload.send(Events.batch(1, exp, run, FILE, 0, records));
        assertThat(upload.finish().isOk()).isTrue();
    }
}
