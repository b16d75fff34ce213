package dev.athanor.ingest.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.athanor.ingest.catalog.CatalogStore;
import dev.athanor.ingest.testing.Events;
import dev.athanor.ingest.testing.IndexQueries;
import dev.athanor.ingest.testing.IngestClient;
import dev.athanor.ingest.testing.PostgresControl;
import dev.athanor.ingest.testing.PostgresResource;
import dev.athanor.ingest.testing.UploadClient;
import io.agroal.api.AgroalDataSource;
import io.grpc.Channel;
import io.grpc.Status;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Issue 17's trash and purge as ingest sees them: an upload to a trashed run is refused with a
 * message naming the run and how to restore it, and once the run is purged its name starts a new
 * run (a new id) instead of writing under the id that is gone.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class TrashedRunUploadTest {

    @GrpcClient("ingest")
    Channel channel;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aTrashedRunRefusesUploadsAndAPurgedRunsNameStartsANewRun() throws Exception {
        IngestClient client = new IngestClient(channel);
        IndexQueries db = new IndexQueries(dataSource);
        String exp = client.experiment("trash");
        assertThat(upload(client, exp, 0, 1).isOk()).isTrue();
        long first = db.count("SELECT id FROM run WHERE experiment_id = ? AND path = 'r'", Long.parseLong(exp));

        db.update("UPDATE run SET trashed_at = now(), trashed_by = 'alice' WHERE id = ?", first);
        Thread.sleep(CatalogStore.RECHECK.toMillis() + 200);   // the cached id is checked again after RECHECK
        Status refused = upload(client, exp, 0, 2);
        assertThat(refused.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        assertThat(refused.getDescription()).contains("run " + first).contains("in the trash")
                .contains("athanor runs restore " + first).contains("/api/v1/runs/" + first + "/restore");
        assertThat(db.count("SELECT count(*) FROM run WHERE experiment_id = ?", Long.parseLong(exp))).isEqualTo(1);

        // What archive-service's purge does: the run's hot directory, then the run row (cascading).
        String name = db.string("SELECT name FROM experiment WHERE id = ?", Long.parseLong(exp));
        deleteTree(PostgresControl.hotRoot().resolve("default").resolve(name).resolve("r"));
        db.update("DELETE FROM run WHERE id = ?", first);
        Thread.sleep(CatalogStore.RECHECK.toMillis() + 200);

        assertThat(upload(client, exp, 0, 3).isOk()).isTrue();
        long second = db.count("SELECT id FROM run WHERE experiment_id = ? AND path = 'r'", Long.parseLong(exp));
        assertThat(second).isNotEqualTo(first);
        // The record is written and indexed under the new run, from offset 0 (not taken for a duplicate).
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
        while (db.count("SELECT count(*) FROM series WHERE run_id = ?", second) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(db.scalars(second).get("x")).extracting(p -> p.step()).containsExactly(3L);
    }

    /** Uploads one scalar record; an accepted upload must have stored it (not a duplicate). */
    private static Status upload(IngestClient client, String exp, long offset, long step) throws Exception {
        UploadClient upload = new UploadClient(client.async);
        upload.send(Events.batch(step, exp, "r", "events.out.tfevents.1.host", offset,
                List.of(Events.scalar("x", step, step))));
        Status status = upload.finish();
        if (status.isOk()) {
            assertThat(upload.acks).singleElement().satisfies(a -> assertThat(a.getRecordsAccepted()).isEqualTo(1));
        }
        return status;
    }

    private static void deleteTree(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
