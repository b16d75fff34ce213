package dev.athanor.ingest.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.athanor.ingest.testing.IndexQueries;
import dev.athanor.ingest.testing.IngestClient;
import dev.athanor.ingest.testing.PostgresResource;
import dev.athanor.proto.ingest.v1.IngestAdminServiceGrpc;
import dev.athanor.proto.ingest.v1.ReindexRequest;
import dev.athanor.tfevents.testing.Fixtures;
import io.agroal.api.AgroalDataSource;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.quarkus.grpc.GrpcClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A run handed over between replicas has its raw log on several volumes: reindexing it here would
 * clear its index and replay only this replica's part, so it is refused before anything is deleted.
 */
@QuarkusTest
@QuarkusTestResource(value = PostgresResource.class, restrictToAnnotatedClass = false)
class ReindexAcrossReplicasTest {

    @GrpcClient("ingest")
    Channel channel;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    IndexScheduler scheduler;

    @Test
    void aRunAnotherReplicaAlsoWroteIsNotReindexedAndItsIndexIsKept() throws Exception {
        IngestClient client = new IngestClient(channel);
        String exp = client.experiment("handed-over");
        long runId = client.run(exp, "r");
        Path file = Fixtures.file("generated/tf_summary/restart/events.out.tfevents.1795729064.vm.29665.5.v2");
        client.upload(exp, "r", List.of(file), 100);
        scheduler.awaitCaughtUp(runId, Duration.ofSeconds(30));
        IndexQueries sql = new IndexQueries(dataSource);
        var before = sql.scalars(runId);
        assertThat(before).isNotEmpty();

        // The ledger says ingest-elsewhere wrote part of the run under an earlier epoch.
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO run_commit (run_id, epoch, file_name, committed_offset, owner)
                VALUES (?, 0, 'events.out.tfevents.0.elsewhere', 128, 'ingest-elsewhere')""")) {
            ps.setLong(1, runId);
            ps.executeUpdate();
        }
        var admin = IngestAdminServiceGrpc.newBlockingStub(channel);
        assertThatThrownBy(() -> admin.reindex(ReindexRequest.newBuilder().setExperimentId(exp).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                    assertThat(e.getStatus().getDescription()).contains("run " + runId).contains("ingest-elsewhere");
                });
        assertThat(sql.scalars(runId)).as("the index is untouched").isEqualTo(before);
    }
}
